export * from './envelope';
export * from './organisation-events';
export * from './proposal-events';
export * from './snapshots';
export * from './topics';
export * from './uuid';
export * from './vocab';
