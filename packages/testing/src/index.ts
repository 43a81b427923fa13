export * from './env';
export * from './tokens';
