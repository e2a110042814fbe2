// electron-builder configuration: Windows NSIS x64, Linux AppImage + deb; better-sqlite3-multiple-ciphers (SQLCipher-compatible) rebuilt for
// Electron at package time; Electron fuses set so the packaged app cannot be turned into a Node runtime.
/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'cn.kmmu.sah2.ln-ecrf',
  productName: 'KM01 LN eCRF',
  copyright: 'Second Affiliated Hospital of Kunming Medical University',
  directories: { output: 'release', buildResources: 'build/resources' },
  files: ['dist/**/*', '!dist/**/*.map', 'package.json'],
  asar: true,
  asarUnpack: ['**/node_modules/better-sqlite3-multiple-ciphers/**'],
  npmRebuild: true,
  buildDependenciesFromSource: true,
  extraMetadata: { main: 'dist/main.cjs' },
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  win: { target: [{ target: 'nsis', arch: ['x64'] }] },
  nsis: { oneClick: false, perMachine: true, allowToChangeInstallationDirectory: true, language: '2052' },
  linux: { target: ['AppImage', 'deb'], category: 'Science', maintainer: 'KM01 data management' },
};
