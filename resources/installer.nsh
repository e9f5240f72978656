; Included by electron-builder's NSIS installer (electron-builder.yml: nsis.include).
; electron-builder registers URL schemes on macOS and Linux only; on Windows this registers
; classroom:// for the whole machine (SHELL_CONTEXT is HKLM in a per-machine install), so a
; ring's toast buttons and classroom:// links work for every user, before they first start the app
; and after it has quit (the toast's protocol activation starts it).
!macro customInstall
  WriteRegStr SHELL_CONTEXT "Software\Classes\classroom" "" "URL:Classroom"
  WriteRegStr SHELL_CONTEXT "Software\Classes\classroom" "URL Protocol" ""
  WriteRegStr SHELL_CONTEXT "Software\Classes\classroom\DefaultIcon" "" "$appExe,0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\classroom\shell\open\command" "" '"$appExe" "%1"'
!macroend

!macro customUnInstall
  DeleteRegKey SHELL_CONTEXT "Software\Classes\classroom"
!macroend
