export * from './classes.ts';
export * from './delivery.ts';
export * from './org.ts';
export * from './sales.ts';
export * from './teaching.ts';
