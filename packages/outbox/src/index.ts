export { KeyedLocks, type WriteLocks } from '@mutirao/kernel';
export * from './journal';
export * from './mongo';
export * from './newest';
export * from './outbox';
export * from './relay';
export * from './sole';
