export * from './clock';
export * from './errors';
export * from './locks';
export * from './page';
export * from './random';
export * from './retry';
