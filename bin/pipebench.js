#!/usr/bin/env node
'use strict';
require('../dist/harness/cli.js').main(process.argv.slice(2));
