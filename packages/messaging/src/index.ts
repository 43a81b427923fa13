export * from './agreements';
export * from './consumer';
export * from './follow';
export * from './groups';
export * from './kafka';
export * from './producer';
export * from './publisher';
