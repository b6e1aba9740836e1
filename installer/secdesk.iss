; SecDesk — Inno Setup 6 (6.3 or newer) script.
; Per-user install without administrator rights, Vietnamese and English set-up languages.
; Build it on Windows with  python installer\build.py --smoke --installer  (README section
; "Building the Windows installer"): build.py makes dist\SecDesk\ with PyInstaller first and
; passes /DAppVersion=<version from pyproject.toml>. The default below must equal that
; version; tests/test_installer.py checks it, and the other settings listed there.
;
; Where things live (user data never goes into the install folder, so an upgrade or an
; uninstall cannot touch it):
;   program      {autopf}\SecDesk  = %LOCALAPPDATA%\Programs\SecDesk for a per-user install
;   user data    %LOCALAPPDATA%\SecDesk  (database, attachments, backups; platformdirs)
;   settings     HKCU\Software\SecDesk   (QSettings)

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "SecDesk"
#define AppExe "SecDesk.exe"
#define CliExe "secdesk-cli.exe"
#define DistDir "..\dist\SecDesk"
#define Manual "_internal\resources\docs\huong-dan-su-dung.pdf"

[Setup]
; Fixed forever: Windows recognises upgrades and the uninstaller entry by this id.
AppId={{0DE8237C-B245-44FE-BFA1-823229D44796}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Officers have no administrator rights: install for the current user only, no UAC prompt.
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6.11 needs Windows 10 1809 or newer.
MinVersion=10.0.17763
; An upgrade closes a running SecDesk (Restart Manager) instead of failing on locked files.
CloseApplications=force
CloseApplicationsFilter=*.exe,*.dll,*.pyd
RestartApplications=no
SetupIconFile=secdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
OutputDir=..\dist
OutputBaseFilename={#AppName}-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=yes
LanguageDetectionMethod=uilanguage

[Languages]
; Vietnamese first: it is the default when Windows uses neither language.
Name: "vi"; MessagesFile: "Vietnamese.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
vi.ManualShortcut=Hướng dẫn sử dụng {#AppName}
en.ManualShortcut={#AppName} user manual
vi.DeleteUserData=Có xóa cả dữ liệu của {#AppName} trên máy này không?%n%n%1%n%nThư mục này chứa cơ sở dữ liệu, tệp đính kèm và các bản sao lưu. Chọn "Không" để giữ lại: cài lại {#AppName} sau này sẽ dùng tiếp được dữ liệu cũ. Các tệp dữ liệu bạn lưu ở nơi khác không bị ảnh hưởng.
en.DeleteUserData=Also delete the {#AppName} data on this computer?%n%n%1%n%nThis folder holds the database, attachments and backups. Choose "No" to keep it: reinstalling {#AppName} later will use the same data. Data files you saved elsewhere are not affected.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; PyInstaller file names change between versions: remove the old library folder so an
; upgrade never mixes two bundles. Only the program folder; user data lives elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon
#if FileExists(AddBackslash(SourcePath) + DistDir + "\" + Manual)
Name: "{autoprograms}\{cm:ManualShortcut}"; Filename: "{app}\{#Manual}"
#endif

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function UserDataDir(): String;
begin
  // platformdirs.user_data_dir("SecDesk", appauthor=False) on Windows
  Result := ExpandConstant('{localappdata}\{#AppName}');
end;

// True while SecDesk (or its console twin) runs from this install folder. Other users'
// copies do not count: WMI hides their executable path from a normal user.
function SecDeskRunning(): Boolean;
var
  Locator, Service, Found, Proc: Variant;
  I: Integer;
begin
  Result := False;
  try
    Locator := CreateOleObject('WbemScripting.SWbemLocator');
    Service := Locator.ConnectServer('.', 'root\CIMV2');
    Found := Service.ExecQuery('SELECT ExecutablePath FROM Win32_Process WHERE ' +
      'Name = ''{#AppExe}'' OR Name = ''{#CliExe}''');
    for I := 0 to Found.Count - 1 do
    begin
      Proc := Found.ItemIndex(I);
      if not VarIsNull(Proc.ExecutablePath) then
        if CompareText(ExtractFileDir(Proc.ExecutablePath), ExpandConstant('{app}')) = 0 then
        begin
          Result := True;
          Exit;
        end;
    end;
  except
    Result := False;  // no WMI: the uninstaller then reports files it could not remove
  end;
end;

function InitializeUninstall(): Boolean;
begin
  Result := True;
  while Result and SecDeskRunning() do
    Result := SuppressibleMsgBox(FmtMessage(SetupMessage(msgUninstallAppRunningError), ['{#AppName}']),
      mbError, MB_OKCANCEL, IDCANCEL) = IDOK;
end;

// The user's data stays unless they say so; a silent uninstall always keeps it.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(UserDataDir()) and not UninstallSilent() then
    if MsgBox(FmtMessage(CustomMessage('DeleteUserData'), [UserDataDir()]),
              mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
    begin
      DelTree(UserDataDir(), True, True, True);
      RegDeleteKeyIncludingSubkeys(HKEY_CURRENT_USER, 'Software\{#AppName}');
    end;
end;
