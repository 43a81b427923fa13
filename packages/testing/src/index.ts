export * from './env';
export * from './random';
export * from './system';
export * from './tokens';
