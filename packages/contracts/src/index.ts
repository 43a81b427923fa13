export * from './envelope';
export * from './events';
export * from './snapshots';
export * from './topics';
export * from './uuid';
export * from './vocab';
