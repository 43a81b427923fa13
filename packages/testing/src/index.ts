export { mulberry32 } from '@mutirao/kernel';
export * from './contracts';
export * from './env';
export * from './factories';
export * from './system';
export * from './tokens';
