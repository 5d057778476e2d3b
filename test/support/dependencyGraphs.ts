// Real dependency graphs for the test index (test/support/testIndex.ts): the seed article's
// Django example and a graph of about 100 projects in the shape of `jupyter`'s closure, for the
// resolver, `lock`, complete-file checks and their benchmark. Deterministic: the same fixture
// always builds the same wheels (and so the same hashes).
import type { FileSpec, IndexFixture, VersionSpec } from './testIndex';

const upload = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}-01T00:00:00.000000Z`;

const BINARY: FileSpec[] = [
  ...['cp310', 'cp311', 'cp312', 'cp313'].map((python) => ({ kind: 'wheel' as const, pythonTag: python, abiTag: python, platformTag: 'manylinux_2_17_x86_64.manylinux2014_x86_64' })),
  { kind: 'wheel', pythonTag: 'cp311', abiTag: 'cp311', platformTag: 'win_amd64' },
  'sdist',
];

/**
 * The seed's example: `Django` and `psycopg2-binary` install more than two packages, because
 * Django needs asgiref and sqlparse (and pytz before 4.0, tzdata on Windows). Versions and
 * Requires-Dist as on PyPI.
 */
export const DJANGO_FIXTURE: IndexFixture = {
  projects: {
    Django: {
      versions: {
        '3.2.25': { requiresPython: '>=3.6', requiresDist: ['asgiref<4,>=3.3.2', 'pytz', 'sqlparse>=0.2.2', 'argon2-cffi>=19.1.0; extra == "argon2"', 'bcrypt; extra == "bcrypt"'], providesExtra: ['argon2', 'bcrypt'], uploadTime: upload(2024, 3) },
        '4.2.17': { requiresPython: '>=3.8', requiresDist: ['asgiref<4,>=3.6.0', 'backports.zoneinfo; python_version < "3.9"', 'sqlparse>=0.3.1', 'tzdata; sys_platform == "win32"', 'argon2-cffi>=19.1.0; extra == "argon2"', 'bcrypt; extra == "bcrypt"'], providesExtra: ['argon2', 'bcrypt'], uploadTime: upload(2024, 12) },
        '5.2.17': { requiresPython: '>=3.10', requiresDist: ['asgiref>=3.8.1', 'sqlparse>=0.3.1', 'tzdata; sys_platform == "win32"', 'argon2-cffi>=19.1.0; extra == "argon2"', 'bcrypt; extra == "bcrypt"'], providesExtra: ['argon2', 'bcrypt'], uploadTime: upload(2025, 10) },
      },
    },
    asgiref: {
      versions: {
        '3.7.2': { requiresPython: '>=3.7', requiresDist: ['typing-extensions>=4; python_version < "3.11"'], uploadTime: upload(2023, 5) },
        '3.8.1': { requiresPython: '>=3.8', requiresDist: ['typing-extensions>=4; python_version < "3.11"'], uploadTime: upload(2024, 3) },
      },
    },
    sqlparse: { versions: { '0.4.4': { requiresPython: '>=3.5', uploadTime: upload(2023, 4) }, '0.5.3': { requiresPython: '>=3.8', uploadTime: upload(2024, 12) } } },
    pytz: { versions: { '2024.2': { uploadTime: upload(2024, 9) }, '2025.2': { uploadTime: upload(2025, 3) } } },
    tzdata: { versions: { '2025.2': { requiresPython: '>=2', uploadTime: upload(2025, 3) } } },
    'typing-extensions': { versions: { '4.12.2': { requiresPython: '>=3.8', uploadTime: upload(2024, 6) } } },
    'backports.zoneinfo': { versions: { '0.2.1': { requiresPython: '>=3.6', uploadTime: upload(2020, 6) } } },
    'psycopg2-binary': {
      versions: {
        '2.9.9': { requiresPython: '>=3.7', files: BINARY, uploadTime: upload(2023, 10) },
        '2.9.10': { requiresPython: '>=3.8', files: BINARY, uploadTime: upload(2024, 10) },
      },
    },
  },
};

/**
 * The closure of `jupyter` as its projects depend on each other (names and edges after PyPI,
 * simplified ranges): about 100 projects, a deep diamond-rich graph with markers and extras.
 * Each project has three releases; every release requires its dependencies with `>=1`.
 */
const JUPYTER_EDGES: Record<string, string[]> = {
  jupyter: ['notebook', 'jupyter-console', 'nbconvert', 'ipykernel', 'ipywidgets', 'jupyterlab'],
  notebook: ['jupyter-server', 'jupyterlab', 'jupyterlab-server', 'notebook-shim', 'tornado'],
  jupyterlab: ['async-lru', 'httpx', 'ipykernel', 'jinja2', 'jupyter-core', 'jupyter-lsp', 'jupyter-server', 'jupyterlab-server', 'notebook-shim', 'packaging', 'setuptools', 'tomli; python_version < "3.11"', 'tornado', 'traitlets'],
  'jupyter-console': ['ipykernel', 'ipython', 'jupyter-client', 'jupyter-core', 'prompt-toolkit', 'pygments', 'pyzmq', 'traitlets'],
  nbconvert: ['beautifulsoup4', 'bleach[css]', 'defusedxml', 'jinja2', 'jupyter-core', 'jupyterlab-pygments', 'markupsafe', 'mistune', 'nbclient', 'nbformat', 'packaging', 'pandocfilters', 'pygments', 'traitlets'],
  ipykernel: ['comm', 'debugpy', 'ipython', 'jupyter-client', 'jupyter-core', 'matplotlib-inline', 'nest-asyncio', 'packaging', 'psutil', 'pyzmq', 'tornado', 'traitlets', 'appnope; sys_platform == "darwin"'],
  ipywidgets: ['comm', 'ipython', 'jupyterlab-widgets', 'traitlets', 'widgetsnbextension'],
  'jupyter-server': ['anyio', 'argon2-cffi', 'jinja2', 'jupyter-client', 'jupyter-core', 'jupyter-events', 'jupyter-server-terminals', 'nbconvert', 'nbformat', 'overrides', 'packaging', 'prometheus-client', 'pyzmq', 'send2trash', 'terminado', 'tornado', 'traitlets', 'websocket-client', 'pywinpty; os_name == "nt"'],
  'jupyterlab-server': ['babel', 'jinja2', 'json5', 'jsonschema', 'jupyter-server', 'packaging', 'requests'],
  'notebook-shim': ['jupyter-server'],
  'async-lru': ['typing-extensions; python_version < "3.11"'],
  httpx: ['anyio', 'certifi', 'httpcore', 'idna'],
  httpcore: ['certifi', 'h11'],
  h11: [],
  anyio: ['idna', 'sniffio', 'exceptiongroup; python_version < "3.11"', 'typing-extensions; python_version < "3.13"'],
  sniffio: [],
  exceptiongroup: ['typing-extensions; python_version < "3.13"'],
  idna: [],
  certifi: [],
  jinja2: ['markupsafe'],
  markupsafe: [],
  'jupyter-core': ['platformdirs', 'traitlets', 'pywin32; sys_platform == "win32" and platform_python_implementation != "PyPy"'],
  'jupyter-lsp': ['jupyter-server'],
  packaging: [],
  setuptools: [],
  tomli: [],
  tornado: [],
  traitlets: [],
  ipython: ['decorator', 'jedi', 'matplotlib-inline', 'pexpect; sys_platform != "win32" and sys_platform != "emscripten"', 'prompt-toolkit', 'pygments', 'stack-data', 'traitlets', 'colorama; sys_platform == "win32"', 'typing-extensions; python_version < "3.12"'],
  'jupyter-client': ['jupyter-core', 'python-dateutil', 'pyzmq', 'tornado', 'traitlets'],
  'prompt-toolkit': ['wcwidth'],
  wcwidth: [],
  pygments: [],
  pyzmq: ['cffi; implementation_name == "pypy"'],
  beautifulsoup4: ['soupsieve', 'typing-extensions'],
  soupsieve: [],
  bleach: ['webencodings', 'tinycss2; extra == "css"'],
  webencodings: [],
  tinycss2: ['webencodings'],
  defusedxml: [],
  'jupyterlab-pygments': [],
  mistune: ['typing-extensions; python_version < "3.11"'],
  nbclient: ['jupyter-client', 'jupyter-core', 'nbformat', 'traitlets'],
  nbformat: ['fastjsonschema', 'jsonschema', 'jupyter-core', 'traitlets'],
  fastjsonschema: [],
  jsonschema: ['attrs', 'jsonschema-specifications', 'referencing', 'rpds-py', 'fqdn; extra == "format-nongpl"', 'isoduration; extra == "format-nongpl"', 'jsonpointer; extra == "format-nongpl"', 'rfc3339-validator; extra == "format-nongpl"', 'rfc3986-validator; extra == "format-nongpl"', 'uri-template; extra == "format-nongpl"', 'webcolors; extra == "format-nongpl"'],
  attrs: [],
  'jsonschema-specifications': ['referencing'],
  referencing: ['attrs', 'rpds-py', 'typing-extensions; python_version < "3.13"'],
  'rpds-py': [],
  pandocfilters: [],
  comm: ['traitlets'],
  debugpy: [],
  'matplotlib-inline': ['traitlets'],
  'nest-asyncio': [],
  psutil: [],
  appnope: [],
  'jupyterlab-widgets': [],
  widgetsnbextension: [],
  'argon2-cffi': ['argon2-cffi-bindings'],
  'argon2-cffi-bindings': ['cffi'],
  cffi: ['pycparser'],
  pycparser: [],
  'jupyter-events': ['jsonschema[format-nongpl]', 'packaging', 'python-json-logger', 'pyyaml', 'referencing', 'rfc3339-validator', 'rfc3986-validator', 'traitlets'],
  'jupyter-server-terminals': ['terminado'],
  overrides: [],
  'prometheus-client': [],
  send2trash: [],
  terminado: ['ptyprocess; os_name != "nt"', 'pywinpty; os_name == "nt"', 'tornado'],
  'websocket-client': [],
  pywinpty: [],
  babel: [],
  json5: [],
  requests: ['certifi', 'charset-normalizer', 'idna', 'urllib3'],
  'charset-normalizer': [],
  urllib3: [],
  'typing-extensions': [],
  platformdirs: [],
  pywin32: [],
  decorator: [],
  jedi: ['parso'],
  parso: [],
  pexpect: ['ptyprocess'],
  ptyprocess: [],
  'stack-data': ['asttokens', 'executing', 'pure-eval'],
  asttokens: [],
  executing: [],
  'pure-eval': [],
  colorama: [],
  'python-dateutil': ['six'],
  six: [],
  'python-json-logger': [],
  pyyaml: [],
  'rfc3339-validator': ['six'],
  'rfc3986-validator': [],
  fqdn: [],
  isoduration: ['arrow'],
  arrow: ['python-dateutil', 'types-python-dateutil'],
  'types-python-dateutil': [],
  jsonpointer: [],
  'uri-template': [],
  webcolors: [],
};

/** Each jupyter-graph project's extras: the names its own `extra == "…"` markers use. */
function extrasOf(dependencies: readonly string[]): string[] {
  return [...new Set(dependencies.flatMap((dependency) => [...dependency.matchAll(/extra == "([^"]+)"/g)].map((match) => match[1])))];
}

/** The jupyter-shaped graph: every project in JUPYTER_EDGES with releases 1.0.0, 1.1.0 and 2.0.0. */
export function jupyterFixture(): IndexFixture {
  const projects: IndexFixture['projects'] = {};
  for (const [name, dependencies] of Object.entries(JUPYTER_EDGES)) {
    const requiresDist = dependencies.map((dependency) => {
      const [requirement, marker] = dependency.split(';').map((part) => part.trim());
      return `${requirement}>=1${marker ? `; ${marker}` : ''}`;
    });
    const release = (month: number): VersionSpec => ({ requiresPython: '>=3.8', requiresDist, providesExtra: extrasOf(dependencies), uploadTime: upload(2024, month) });
    projects[name] = { versions: { '1.0.0': release(1), '1.1.0': release(4), '2.0.0': release(9) } };
  }
  return { projects };
}

/** How many projects the jupyter-shaped graph has. */
export const JUPYTER_PROJECTS = Object.keys(JUPYTER_EDGES).length;
