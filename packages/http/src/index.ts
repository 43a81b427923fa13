export * from './app';
export * from './config';
export * from './errors';
export * from './health';
export * from './lifecycle';
export * from './problem';
export * from './server';
export * from './validate';
