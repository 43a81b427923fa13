export * from './contracts';
export * from './env';
export * from './system';
export * from './tokens';
