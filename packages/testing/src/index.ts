export * from './contracts';
export * from './env';
export * from './factories';
export * from './mailpit';
export * from './random';
export * from './system';
export * from './tokens';
