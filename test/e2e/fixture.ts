// What the end-to-end run works on: the packages the loopback test index serves and the files of
// the temporary workspace. Shared by the launchers (which start the index and write the files) and
// the suite (which knows what to expect), so the two cannot drift apart.
import type { IndexFixture } from '../support/testIndex';

export const INDEX_FIXTURE: IndexFixture = {
  projects: {
    flask: {
      versions: {
        '2.3.3': { uploadTime: '2023-08-21T19:52:35.000000Z', summary: 'A simple framework for building complex web applications.' },
        '3.0.3': { uploadTime: '2024-04-07T19:26:08.000000Z', summary: 'A simple framework for building complex web applications.', requiresPython: '>=3.8' },
        '3.1.0rc1': {
          files: ['wheel'],
          uploadTime: '2024-10-20T10:00:00.000000Z',
          requiresPython: '>=3.9',
          summary: 'A simple framework for building complex web applications.',
        },
      },
    },
    requests: {
      versions: {
        '2.31.0': { uploadTime: '2023-05-22T15:12:42.000000Z', summary: 'Python HTTP for Humans.', requiresDist: ['urllib3>=1.21.1,<3'] },
        '2.32.0': { uploadTime: '2024-05-20T15:00:00.000000Z', yanked: 'Broken build', requiresDist: ['urllib3>=1.21.1,<3'] },
        '2.32.3': { uploadTime: '2024-05-29T15:37:47.000000Z', summary: 'Python HTTP for Humans.', requiresDist: ['urllib3>=1.21.1,<3'] },
      },
    },
    urllib3: {
      versions: {
        '1.26.20': { uploadTime: '2024-08-29T15:43:08.000000Z' },
        '2.2.3': { uploadTime: '2024-09-12T10:52:16.000000Z', summary: 'HTTP library with thread-safe connection pooling, file post, and more.' },
      },
    },
  },
};

/** What the index has, newest first, and what pip would pick for an open range. */
export const EXPECTED = {
  flaskLatest: '3.0.3',
  flaskVersions: ['3.1.0rc1', '3.0.3', '2.3.3'],
  requestsLatest: '2.32.3',
  requestsYanked: '2.32.0',
  urllib3Latest: '2.2.3',
} as const;

/** Workspace-relative path → content. Each test that edits works on a file of its own. */
export const WORKSPACE_FILES: Record<string, string> = {
  // Read by the diagnostics and hover tests; never edited.
  'requirements.txt': '# application\nflask>=2.0\nrequests==2.31.0\n',
  // One file per pattern in package.json (language detection).
  'requirements-dev.txt': '-r requirements.txt\nurllib3\n',
  'requirements.in': 'flask>=2\nflaskk\n',
  'dev-requirements.in': 'requests\n',
  'constraints.txt': 'urllib3<3\n',
  'constraints.in': 'urllib3<3\n',
  'test-constraints.txt': 'urllib3<3\n',
  'pip-constraints.in': 'urllib3<3\n',
  'requirements/base.txt': 'flask>=2\n',
  'requirements/base.in': 'flask>=2\n',
  'constraints/pins.txt': 'urllib3<3\n',
  'extra.pip': 'requests\n',
  'notes.txt': 'flask>=2 is not a requirement here\n',
  'setup.py': [
    'from setuptools import setup',
    '',
    'setup(',
    '    name="demo-lib",',
    '    version="1.0",',
    '    install_requires=["requests==2.31.0", "flask>=2"],',
    ')',
    '',
  ].join('\n'),
  'pyproject.toml': '[project]\nname = "demo-app"\ndependencies = [\n    "requests==2.31.0",\n    "flask>=2",\n]\n',
  'lib/setup.cfg': '[options]\ninstall_requires =\n    requests==2.31.0\n    flask>=2\n',
  // A PEP 751 lock file (its one package has no source, which PEP 751 forbids), and one reqguard does not read.
  'pylock.toml': 'lock-version = "1.0"\ncreated-by = "pip"\n\n[[packages]]\nname = "flask"\n',
  'Pipfile.lock': '{\n    "_meta": {},\n    "default": {}\n}\n',
  // Edited by one test each.
  'requirements-complete.txt': 'flask==\nrequests==\n',
  'requirements-pin.txt': '# app\nflask>=2  # web framework\n',
  'requirements-all.txt': '# services\nflask>=2.0\nrequests\nurllib3>=2 ; python_version >= "3.8"\n',
  'requirements-save.txt': 'flask>=2\n',
  'requirements-save-api.txt': 'requests\n',
  'requirements-save-off.txt': 'flask>=2\n',
  'requirements-severity.txt': 'flask\n',
  'requirements-offline.txt': 'flask\nno-such-project==1.0\n',
  // "Check all dependency files" on this folder; never opened.
  'services/api/requirements.txt': 'flaskk==1.0\n',
  'services/worker/requirements.txt': 'requests==2.31.0\n',
  'services/lib/pyproject.toml': '[project]\nname = "lib"\nversion = "1.0"\ndependencies = ["flask==3.0.3"]\n',
  'services/node_modules/pkg/requirements.txt': 'flaskk\n',
  // The Playwright UI checks (after the suite).
  'requirements-ui.txt': '# web service\nflask>=2.0\nurllib3==2.2.3\n',
};

/** The file the UI checks open, and the line (0-based) with the unpinned entry. */
export const UI_FILE = 'requirements-ui.txt';
export const UI_UNPINNED_LINE = 1;
