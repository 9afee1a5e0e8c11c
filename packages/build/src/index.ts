export * from './bundle';
export * from './native';
export * from './zip';
