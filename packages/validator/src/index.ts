export * from './corpus/index';
export * from './evaluation/index';
export * from './tasks/index';
