/** The tool version recorded in sync runs, exports and manifests. */
export const toolName = 'cliq-vault';
export const toolVersion = '0.1.0';
