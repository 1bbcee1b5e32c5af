// Starts dynalite in memory on 127.0.0.1 and a free port, and prints that port.
// Used by Intake's tests and bench (dev.intake.local.Dynalite); stops when its stdin closes.
'use strict';
const dynalite = require('dynalite');
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => {
  process.stdout.write('dynalite listening on ' + server.address().port + '\n');
});
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.resume();
