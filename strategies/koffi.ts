// koffi ships one API as both CommonJS and ESM but declares its types as ESM only;
// this loads the CommonJS build with those types, for every binding module.
import type * as Koffi from 'koffi' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-var-requires
const koffi = require('koffi') as typeof Koffi;
export default koffi;
