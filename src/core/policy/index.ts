export * from './document';
export * from './rules';
export * from './describe';
