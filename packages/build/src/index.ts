export * from './bundle';
export * from './zip';
export * from './native';
