// The environment a requirements file will be installed into: what PEP 508 markers are evaluated
// against, which Python decides Requires-Python, and which wheel tags it accepts. A file deployed
// to several places has several targets.

/** PEP 508 marker variables, as `packaging.markers.default_environment()` reports them. */
export interface MarkerEnvironment {
  readonly implementation_name: string;
  readonly implementation_version: string;
  readonly os_name: string;
  readonly platform_machine: string;
  readonly platform_release: string;
  readonly platform_system: string;
  readonly platform_version: string;
  readonly python_full_version: string;
  readonly platform_python_implementation: string;
  readonly python_version: string;
  readonly sys_platform: string;
}

export interface TargetEnvironment {
  /** For sentences: "CPython 3.11 on Linux x86_64". */
  readonly name: string;
  /** For people: "CPython 3.11 on Linux x86_64 (/usr/bin/python3)". */
  readonly label: string;
  /** Where it came from: an interpreter that was asked, a setting, a flag. */
  readonly source: 'interpreter' | 'setting' | 'flag' | 'default';
  /** How it was chosen, in words: "python3 on PATH", "the Python extension", "reqguard.targets", "--platform". */
  readonly origin?: string;
  readonly markers: MarkerEnvironment;
  /**
   * Wheel tags the target installs (`cp311-cp311-manylinux_2_17_x86_64`, …), most preferred first,
   * as `packaging.tags.sys_tags()` lists them; undefined when unknown (every wheel is considered).
   */
  readonly tags?: readonly string[];
  /** The version of pip installed in an interpreter that was asked (`26.2.1`); the default installer profile (pip/installer.ts). */
  readonly pipVersion?: string;
}
