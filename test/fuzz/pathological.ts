// The fuzz run's fixed inputs: the shapes every run of the unit fuzz test already covers, and the
// hostile inputs measured in issue 11 (exponential setup.py, huge argument lists, cubic scans,
// unterminated HTML, binary bytes), at the sizes that once took seconds to minutes.
import { pathologicalShapes, Random } from '../helpers/fuzz';

export function pathologicalInputs(): { label: string; text: string }[] {
  const shapes: Record<string, string> = {
    ...pathologicalShapes(new Random(0xbad)),
    'setup.py r = r + r, 26 times': 'from setuptools import setup\nr = ["a"]\n' + 'r = r + r\n'.repeat(26) + 'setup(install_requires=r)\n',
    'one option line of 200,000 words': '-- ' + 'a '.repeat(200000),
    'name then 4,000 spaces': 'six' + ' '.repeat(4000),
    '8,000 continuation backslashes': 'six' + ' \\\n'.repeat(8000) + '==1',
    'a 156 KB continued line': Array.from({ length: 12000 }, (_, i) => `p${i}`).join(' \\\n'),
    '80,000 unclosed anchors': '<a href=x>'.repeat(80000),
    '100,000 unterminated hrefs': '<a href="'.repeat(100000),
    'an sdist name of 20,000 dashes': `<a href="pkg${'-'.repeat(20000)}1.0.tar.gz">pkg${'-'.repeat(20000)}1.0.tar.gz</a>`,
    'a variable inside a marker': 'six ; python_version < "${X}"\nflask ; ${X}\n',
    'setup.py ending in 0x': 'setup(install_requires=[0x',
    'setup.py ending in 0b': 'x = 0b',
    'setup.py ending in 0o': 'x = 0o',
    'NUL and escape bytes': '\0\x1b[2J\x1b]0;title\x07' + 'six\0==1\n'.repeat(100),
    'a 1 MB line': 'six==' + '1'.repeat(1 << 20),
    'a 5,000-line file': Array.from({ length: 5000 }, (_, i) => `package-${i}==1.${i} --hash=sha256:${'0'.repeat(64)}`).join('\n'),
  };
  return Object.entries(shapes).map(([label, text]) => ({ label: `pathological: ${label}`, text }));
}
