export * from './corpus/index';
export * from './tasks/index';
