/** The Cliq simulator: a real HTTP server that behaves as ../shared/cliq-api.md documents. */
export const simulatorName = 'cliq-simulator';
