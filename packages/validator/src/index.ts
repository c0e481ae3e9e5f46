export * from './corpus/index';
export * from './evaluation/index';
export * from './gateway-keys/index';
export * from './state/index';
export * from './tasks/index';
