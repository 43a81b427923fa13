export * from './locks';
export * from './mongo';
export * from './outbox';
export * from './relay';
