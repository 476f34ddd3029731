// Shapes of the API's answers (snake_case, as the ingress writes them). Optional fields are ones the
// console shows when the server provides them.

export type Decimal = number | string;

// One file per API area; every shape is also reachable from here.
export type * from './alertTypes';
export type * from './marketTypes';
export type * from './orderTypes';
export type * from './strategyTypes';
export type * from './systemTypes';
