// jest's setupFilesAfterEnv (jest.config.js): whatever a test file does, every
// process it started through the kit is killed when the file ends, and the
// wineserver with the Windows processes those started under Wine.

import { endAll } from './spawned';

afterAll(endAll);
