; Inno Setup script: an installer for the one-folder Windows build.
; First run `python build_app.py bundle` on Windows, then compile this file with
; Inno Setup 6 (iscc packaging\windows\strategy-planner.iss). The installer goes to
; dist\installer. It installs for the current user without administrator rights
; (or for everyone when run as administrator), adds Start menu entries and opens
; .plan files with Strategy Planner.

#define AppName "Strategy Planner"
#ifndef AppVersion
  #define AppVersion "0.1.0"  ; or: iscc /DAppVersion=X.Y.Z ...
#endif
#define AppExe "StrategyPlanner.exe"
#define ProgId "StrategyPlanner.Plan"

[Setup]
AppId={{6B0E4C52-3C1F-4D55-9E1B-2F6A4C8D7E10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
OutputDir=..\..\dist\installer
OutputBaseFilename=StrategyPlanner-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\app\app.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
Source: "..\..\dist\StrategyPlanner\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Registry]
; The .plan file type: opened with Strategy Planner, shown with its icon.
Root: HKA; Subkey: "Software\Classes\.plan"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.plan"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-strategy-plan"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Strategy plan"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".plan"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "Start {#AppName}"; Flags: nowait postinstall skipifsilent
