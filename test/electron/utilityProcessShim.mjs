// Loaded with --import into the child of FakeUtilityProcess (fakeElectron.ts): gives a plain Node
// child the `process.parentPort` an Electron utility process has. Messages arrive as
// `{ data, ports }` events, as Electron delivers them; postMessage goes back over the IPC channel.
import { EventEmitter } from 'node:events';

const parentPort = new EventEmitter();
parentPort.postMessage = (message) => {
  process.send(message);
};
process.on('message', (data) => {
  parentPort.emit('message', { data, ports: [] });
});
process.parentPort = parentPort;
