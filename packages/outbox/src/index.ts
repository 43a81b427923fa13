export * from './journal';
export * from './locks';
export * from './mongo';
export * from './newest';
export * from './outbox';
export * from './relay';
