export * from './client';
export * from './commands';
export * from './demo';
export * from './outcomes';
export * from './validate';
