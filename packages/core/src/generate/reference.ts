export const apiReference = (): string => '';
