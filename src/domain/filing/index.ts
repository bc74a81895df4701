export * from './machine';
export * from './pre-approval';
