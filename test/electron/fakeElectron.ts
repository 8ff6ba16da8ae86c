import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';

/**
 * A stand-in for the `electron` module: the binary cannot run here, and unit tests of the shell
 * should not need it anyway. Each piece records what the code under test asked of it, so tests
 * assert on the options, handlers and calls themselves. Use it with
 *
 *   vi.mock('electron', async () => (await import('./fakeElectron')).electronModule);
 *
 * and call `resetFake()` in `beforeEach`. Only what the shell uses is modelled.
 */

/** An Electron-style event whose default can be prevented. */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
  url?: string;
}

export function fakeEvent(extra: Partial<FakeEvent> = {}): FakeEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
    ...extra,
  };
}

let nextId = 1;

export class FakeFrame {
  readonly routingId = nextId++;
  readonly processId: number;
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
    processId = 1,
  ) {
    this.processId = processId;
  }
  get top(): FakeFrame {
    return this.parent === null ? this : this.parent.top;
  }
}

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, origin: string, details: unknown) => boolean;

export class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = handler;
  }
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame: FakeFrame;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  destroyed = false;
  constructor(
    public session: FakeSession = fake.session.defaultSession,
    url = 'app://cliq-vault/index.html',
  ) {
    super();
    this.mainFrame = new FakeFrame(url);
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances.filter((window) => !window.destroyed);
  }
  static getFocusedWindow(): FakeBrowserWindow | null {
    return FakeBrowserWindow.instances.find((window) => !window.destroyed && window.focused) ?? null;
  }
  static fromWebContents(contents: unknown): FakeBrowserWindow | null {
    return FakeBrowserWindow.instances.find((window) => !window.destroyed && window.webContents === contents) ?? null;
  }
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  visible = false;
  minimized = false;
  focused = false;
  destroyed = false;
  constructor(public readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
    fake.app.emit('web-contents-created', fakeEvent(), this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, handler: InvokeHandler): void {
    // Electron refuses a second handler for a channel; so does the fake.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

class FakeIpcRenderer extends EventEmitter {
  readonly invocations: { channel: string; args: unknown[] }[] = [];
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return Promise.resolve({ ok: true, value: { channel, args } });
  }
}

class FakeApp extends EventEmitter {
  readonly paths = new Map<string, string>([
    ['userData', '/fake/userData'],
    ['appData', '/fake/appData'],
    ['logs', '/fake/logs'],
    ['documents', '/fake/documents'],
  ]);
  appPath = '/fake/app';
  isPackaged = false;
  sandboxEnabled = false;
  quitCalls = 0;
  singleInstance = true;
  getPath(name: string): string {
    const path = this.paths.get(name);
    if (path === undefined) throw new Error(`fake app has no path '${name}'`);
    return path;
  }
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  getAppPath(): string {
    return this.appPath;
  }
  getVersion(): string {
    return '0.1.0';
  }
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  quit(): void {
    this.quitCalls += 1;
  }
  exitCode: number | null = null;
  exit(code = 0): void {
    this.exitCode = code;
  }
  setAppUserModelId(): void {
    // Windows only; nothing to record.
  }
}

/** Reversible, not secure: the ciphertext carries a marker and the text XOR-ed, so plain text never shows. */
class FakeSafeStorage {
  available = true;
  backend: 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown' = 'gnome_libsecret';
  shouldReEncrypt = false;
  encryptCalls = 0;
  isAsyncEncryptionAvailable(): Promise<boolean> {
    return Promise.resolve(this.available);
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  encryptStringAsync(plainText: string): Promise<Buffer> {
    if (!this.available) return Promise.reject(new Error('Encryption is not available.'));
    this.encryptCalls += 1;
    const bytes = Buffer.from(plainText, 'utf8').map((byte) => byte ^ 0x5a);
    return Promise.resolve(Buffer.concat([Buffer.from('FAKE1'), bytes]));
  }
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    if (!this.available) return Promise.reject(new Error('Decryption is not available.'));
    if (encrypted.subarray(0, 5).toString() !== 'FAKE1') return Promise.reject(new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.'));
    const bytes = encrypted.subarray(5).map((byte) => byte ^ 0x5a);
    return Promise.resolve({ result: Buffer.from(bytes).toString('utf8'), shouldReEncrypt: this.shouldReEncrypt });
  }
}

export interface FakeMenuItem {
  label?: string;
  type?: string;
  click?: () => void;
}

export class FakeTray extends EventEmitter {
  static instances: FakeTray[] = [];
  tooltip = '';
  menu: { items: FakeMenuItem[] } | null = null;
  destroyed = false;
  constructor(public readonly image: unknown) {
    super();
    FakeTray.instances.push(this);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: { items: FakeMenuItem[] } | null): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeNotification {
  static supported = true;
  static shown: { title: string; body: string }[] = [];
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  constructor(private readonly options: { title: string; body: string }) {}
  show(): void {
    FakeNotification.shown.push(this.options);
  }
}

/**
 * Electron's UtilityProcess, modelled with what it is underneath: a separate Node process with a
 * message channel. The child is a real `node` (child_process.fork, structured-clone messages) whose
 * `process.parentPort` is provided by utilityProcessShim.mjs as Electron provides it: `on('message',
 * (event) => event.data)` and `postMessage`. Events as Electron's: 'spawn', 'message', 'exit' (code).
 */
export class FakeUtilityProcess extends EventEmitter {
  static forked: FakeUtilityProcess[] = [];
  private readonly child: ChildProcess;
  exitCode: number | null = null;

  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: { serviceName?: string; env?: NodeJS.ProcessEnv; stdio?: unknown },
  ) {
    super();
    const shim = fileURLToPath(new URL('./utilityProcessShim.mjs', import.meta.url));
    this.child = fork(modulePath, args, { execArgv: ['--import', shim], serialization: 'advanced', stdio: 'inherit', env: options.env ?? process.env });
    this.child.on('spawn', () => this.emit('spawn'));
    this.child.on('message', (message) => this.emit('message', message));
    this.child.on('exit', (code, signal) => {
      // Electron reports a killed utility process with a code too (SIGTERM → 15 on POSIX).
      this.exitCode = code ?? (signal === 'SIGKILL' ? 9 : 15);
      this.emit('exit', this.exitCode);
    });
    FakeUtilityProcess.forked.push(this);
  }

  get pid(): number | undefined {
    return this.exitCode === null ? this.child.pid : undefined;
  }

  postMessage(message: unknown): void {
    this.child.send(message as never);
  }

  kill(): boolean {
    return this.child.kill('SIGTERM');
  }

  /** A crash as the OS would deliver it (for tests): no chance to clean up. */
  crash(): void {
    this.child.kill('SIGKILL');
  }
}

function createFake() {
  const state = {
    app: new FakeApp(),
    ipcMain: new FakeIpcMain(),
    ipcRenderer: new FakeIpcRenderer(),
    contextBridge: {
      exposed: new Map<string, unknown>(),
      exposeInMainWorld(key: string, api: unknown): void {
        if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
        this.exposed.set(key, api);
      },
    },
    protocol: {
      privileged: [] as unknown[][],
      handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
      registerSchemesAsPrivileged(schemes: unknown[]): void {
        this.privileged.push(schemes);
      },
      handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
        this.handlers.set(scheme, handler);
      },
    },
    session: { defaultSession: new FakeSession() },
    shell: {
      opened: [] as string[],
      shown: [] as string[],
      openExternal(url: string): Promise<void> {
        this.opened.push(url);
        return Promise.resolve();
      },
      showItemInFolder(path: string): void {
        this.shown.push(path);
      },
      /** Paths handed to the OS to open with their type's app; what the next openPath answers ('' = done). */
      openedPaths: [] as string[],
      nextOpenPathError: '',
      openPath(path: string): Promise<string> {
        this.openedPaths.push(path);
        return Promise.resolve(this.nextOpenPathError);
      },
    },
    safeStorage: new FakeSafeStorage(),
    utilityProcess: {
      fork: (modulePath: string, args: string[] = [], options: { serviceName?: string; env?: NodeJS.ProcessEnv } = {}) => new FakeUtilityProcess(modulePath, args, options),
    },
    nativeImage: {
      createFromPath: (path: string) => {
        const image = { path, template: false, isEmpty: () => false, setTemplateImage: (on: boolean) => void (image.template = on) };
        return image;
      },
    },
    Menu: {
      buildFromTemplate: (items: FakeMenuItem[]) => ({ items }),
    },
    dialog: {
      errors: [] as { title: string; content: string }[],
      showErrorBox(title: string, content: string): void {
        this.errors.push({ title, content });
      },
      /** What the next showOpenDialog answers (the user's pick), and what it was asked. */
      nextOpen: { canceled: false, filePaths: [] as string[] },
      opened: [] as { parent: FakeBrowserWindow | null; options: Record<string, unknown> }[],
      showOpenDialog(...args: [FakeBrowserWindow, Record<string, unknown>] | [Record<string, unknown>]): Promise<{ canceled: boolean; filePaths: string[] }> {
        const [parent, options] = args.length === 2 ? args : [null, args[0]];
        this.opened.push({ parent, options });
        return Promise.resolve(this.nextOpen);
      },
      /** What the next showMessageBox answers (the button index), and what it was asked. */
      nextMessageBox: 1,
      asked: [] as { parent: FakeBrowserWindow | null; options: Record<string, unknown> }[],
      showMessageBox(...args: [FakeBrowserWindow, Record<string, unknown>] | [Record<string, unknown>]): Promise<{ response: number; checkboxChecked: boolean }> {
        const [parent, options] = args.length === 2 ? args : [null, args[0]];
        this.asked.push({ parent, options });
        return Promise.resolve({ response: this.nextMessageBox, checkboxChecked: false });
      },
      /** What the next showSaveDialog answers, and what it was asked. */
      nextSave: { canceled: false, filePath: '' as string | undefined },
      saved: [] as { parent: FakeBrowserWindow | null; options: Record<string, unknown> }[],
      showSaveDialog(...args: [FakeBrowserWindow, Record<string, unknown>] | [Record<string, unknown>]): Promise<{ canceled: boolean; filePath: string | undefined }> {
        const [parent, options] = args.length === 2 ? args : [null, args[0]];
        this.saved.push({ parent, options });
        return Promise.resolve(this.nextSave);
      },
    },
  };
  return state;
}

export const fake = createFake();

/** Forgets every recorded registration and call: a fresh electron for the next test. */
export function resetFake(): void {
  Object.assign(fake, createFake());
  FakeBrowserWindow.instances = [];
  FakeTray.instances = [];
  FakeNotification.shown = [];
  FakeUtilityProcess.forked = [];
}

/**
 * The module `vi.mock('electron', …)` returns: named exports as `import { app } from 'electron'`
 * reads them, and a default for modules that `import electron from 'electron'`. Getters, so a
 * `resetFake()` after import is seen by the code under test.
 */
export const electronModule = {
  get app() {
    return fake.app;
  },
  get ipcMain() {
    return fake.ipcMain;
  },
  get ipcRenderer() {
    return fake.ipcRenderer;
  },
  get contextBridge() {
    return fake.contextBridge;
  },
  get protocol() {
    return fake.protocol;
  },
  get session() {
    return fake.session;
  },
  get shell() {
    return fake.shell;
  },
  get safeStorage() {
    return fake.safeStorage;
  },
  get nativeImage() {
    return fake.nativeImage;
  },
  get utilityProcess() {
    return fake.utilityProcess;
  },
  get Menu() {
    return fake.Menu;
  },
  get dialog() {
    return fake.dialog;
  },
  BrowserWindow: FakeBrowserWindow,
  Tray: FakeTray,
  Notification: FakeNotification,
  get default() {
    return electronModule;
  },
};

/**
 * The module `vi.mock('electron-store', …)` returns where only the lifecycle matters: electron-store
 * imports the real `electron`, which cannot load here; conf is what it wraps. (settings.test.ts has
 * its own, closer stand-in.)
 */
export async function electronStoreAsConf(): Promise<{ default: unknown }> {
  const { default: Conf } = await import('conf');
  class ElectronStore extends Conf {
    constructor(options: { name?: string; cwd: string }) {
      super({ configName: options.name ?? 'config', cwd: options.cwd, projectName: 'unused' });
    }
  }
  return { default: ElectronStore };
}
