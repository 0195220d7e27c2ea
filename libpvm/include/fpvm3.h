!/* clang-format off */
! fpvm3.h - the PVM 3.4 compatible Fortran interface of this project.
!
! Put  INCLUDE 'fpvm3.h'  in every program unit that calls pvmf*
! routines, and link with -lfpvm3 -lpvm3. Routines and arguments are
! those of the man pages (man pvmfsend); docs/compatibility.md lists
! them with their status. gfortran 10 and later reject a file that
! passes different types to one routine (pvmfpack with INTEGER, then
! REAL): compile such classic code with -fallow-argument-mismatch.
!
! The text suits fixed and free source form alike: comments start
! with '!', statements at column 7, no continuation lines, nothing
! past column 72. The first line keeps clang-format (which the
! repository runs over every *.h file) away from this Fortran text.
! Every value is the one of pvm3.h; tests/fortran checks that they
! agree.

! Message encodings (pvmfinitsend, pvmfmkbuf); PVMDEFAULT is also
! the spawn flag "any host".
      INTEGER PVMDEFAULT, PVMRAW, PVMINPLACE
      PARAMETER (PVMDEFAULT = 0, PVMRAW = 1, PVMINPLACE = 2)
      INTEGER PvmDataDefault, PvmDataRaw, PvmDataInPlace
      PARAMETER (PvmDataDefault = 0, PvmDataRaw = 1)
      PARAMETER (PvmDataInPlace = 2)
      INTEGER PvmDataTrace
      PARAMETER (PvmDataTrace = 4)

! Spawn flags (pvmfspawn), added together; the short names are the
! ones of the Fortran man page.
      INTEGER PvmTaskDefault, PvmTaskHost, PvmTaskArch, PvmTaskDebug
      PARAMETER (PvmTaskDefault = 0, PvmTaskHost = 1, PvmTaskArch = 2)
      PARAMETER (PvmTaskDebug = 4)
      INTEGER PvmTaskTrace, PvmMppFront, PvmHostCompl
      PARAMETER (PvmTaskTrace = 8, PvmMppFront = 16, PvmHostCompl = 32)
      INTEGER PvmNoSpawnParent
      PARAMETER (PvmNoSpawnParent = 64)
      INTEGER PVMHOST, PVMARCH, PVMDEBUG, PVMTRACE
      PARAMETER (PVMHOST = 1, PVMARCH = 2, PVMDEBUG = 4, PVMTRACE = 8)

! Notify events (pvmfnotify)
      INTEGER PvmTaskExit, PvmHostDelete, PvmHostAdd
      PARAMETER (PvmTaskExit = 1, PvmHostDelete = 2, PvmHostAdd = 3)
      INTEGER PvmRouteAdd, PvmRouteDelete, PvmNotifyCancel
      PARAMETER (PvmRouteAdd = 4, PvmRouteDelete = 5)
      PARAMETER (PvmNotifyCancel = 256)

! Options (pvmfsetopt, pvmfgetopt)
      INTEGER PvmRoute, PvmDebugMask, PvmAutoErr, PvmOutputTid
      PARAMETER (PvmRoute = 1, PvmDebugMask = 2, PvmAutoErr = 3)
      PARAMETER (PvmOutputTid = 4)
      INTEGER PvmOutputCode, PvmTraceTid, PvmTraceCode, PvmTraceBuffer
      PARAMETER (PvmOutputCode = 5, PvmTraceTid = 6, PvmTraceCode = 7)
      PARAMETER (PvmTraceBuffer = 8)
      INTEGER PvmTraceOptions, PvmFragSize, PvmResvTids
      PARAMETER (PvmTraceOptions = 9, PvmFragSize = 10)
      PARAMETER (PvmResvTids = 11)
      INTEGER PvmSelfOutputTid, PvmSelfOutputCode, PvmSelfTraceTid
      PARAMETER (PvmSelfOutputTid = 12, PvmSelfOutputCode = 13)
      PARAMETER (PvmSelfTraceTid = 14)
      INTEGER PvmSelfTraceCode, PvmSelfTraceBuffer
      PARAMETER (PvmSelfTraceCode = 15, PvmSelfTraceBuffer = 16)
      INTEGER PvmSelfTraceOptions, PvmShowTids, PvmPollType
      PARAMETER (PvmSelfTraceOptions = 17, PvmShowTids = 18)
      PARAMETER (PvmPollType = 19)
      INTEGER PvmPollTime, PvmOutputContext, PvmTraceContext
      PARAMETER (PvmPollTime = 20, PvmOutputContext = 21)
      PARAMETER (PvmTraceContext = 22)
      INTEGER PvmSelfOutputContext, PvmSelfTraceContext, PvmNoReset
      PARAMETER (PvmSelfOutputContext = 23, PvmSelfTraceContext = 24)
      PARAMETER (PvmNoReset = 25)
! The short names of PVM's fpvm3.h for the options above
      INTEGER PVMSOUTPUTTID, PVMSOUTPUTCODE, PVMSTRACETID
      PARAMETER (PVMSOUTPUTTID = 12, PVMSOUTPUTCODE = 13)
      PARAMETER (PVMSTRACETID = 14)
      INTEGER PVMSTRACECODE, PVMSTRACEBUFFER, PVMSTRACEOPTIONS
      PARAMETER (PVMSTRACECODE = 15, PVMSTRACEBUFFER = 16)
      PARAMETER (PVMSTRACEOPTIONS = 17)
      INTEGER PVMOUTPUTCTX, PVMTRACECTX, PVMSOUTPUTCTX, PVMSTRACECTX
      PARAMETER (PVMOUTPUTCTX = 21, PVMTRACECTX = 22)
      PARAMETER (PVMSOUTPUTCTX = 23, PVMSTRACECTX = 24)

! Values of PvmRoute, PvmTraceOptions and PvmPollType
      INTEGER PvmDontRoute, PvmAllowDirect, PvmRouteDirect
      PARAMETER (PvmDontRoute = 1, PvmAllowDirect = 2)
      PARAMETER (PvmRouteDirect = 3)
      INTEGER PvmTraceFull, PvmTraceTime, PvmTraceCount
      PARAMETER (PvmTraceFull = 1, PvmTraceTime = 2, PvmTraceCount = 3)
      INTEGER PvmPollConstant, PvmPollSleep
      PARAMETER (PvmPollConstant = 1, PvmPollSleep = 2)

! Message contexts (pvmfgetcontext)
      INTEGER PvmBaseContext
      PARAMETER (PvmBaseContext = 0)

! Mailbox flags (pvmfputinfo, pvmfrecvinfo), added together
      INTEGER PvmMboxDefault, PvmMboxPersistent, PvmMboxMultiInstance
      PARAMETER (PvmMboxDefault = 0, PvmMboxPersistent = 1)
      PARAMETER (PvmMboxMultiInstance = 2)
      INTEGER PvmMboxOverWritable, PvmMboxFirstAvail
      PARAMETER (PvmMboxOverWritable = 4, PvmMboxFirstAvail = 8)
      INTEGER PvmMboxReadAndDelete, PvmMboxWaitForInfo, PvmMboxMaxFlag
      PARAMETER (PvmMboxReadAndDelete = 16, PvmMboxWaitForInfo = 32)
      PARAMETER (PvmMboxMaxFlag = 512)

! Data types of pvmfpack, pvmfunpack, pvmfpsend, pvmfprecv and the
! group reductions. STRING packs nitem characters, like BYTE1.
! INTEGER8 (INTEGER*8) is 8 bytes in every encoding here.
      INTEGER STRING, BYTE1, INTEGER2, INTEGER4, REAL4
      PARAMETER (STRING = 0, BYTE1 = 1, INTEGER2 = 2, INTEGER4 = 3)
      PARAMETER (REAL4 = 4)
      INTEGER COMPLEX8, REAL8, COMPLEX16, INTEGER8
      PARAMETER (COMPLEX8 = 5, REAL8 = 6, COMPLEX16 = 7, INTEGER8 = 8)

! Error codes: info < 0 is one of these.
      INTEGER PvmOk, PvmBadParam, PvmMismatch, PvmOverflow, PvmNoData
      PARAMETER (PvmOk = 0, PvmBadParam = -2, PvmMismatch = -3)
      PARAMETER (PvmOverflow = -4, PvmNoData = -5)
      INTEGER PvmNoHost, PvmNoFile, PvmDenied, PvmNoMem, PvmBadMsg
      PARAMETER (PvmNoHost = -6, PvmNoFile = -7, PvmDenied = -8)
      PARAMETER (PvmNoMem = -10, PvmBadMsg = -12)
      INTEGER PvmSysErr, PvmNoBuf, PvmNoSuchBuf, PvmNullGroup
      PARAMETER (PvmSysErr = -14, PvmNoBuf = -15, PvmNoSuchBuf = -16)
      PARAMETER (PvmNullGroup = -17)
      INTEGER PvmDupGroup, PvmNoGroup, PvmNotInGroup, PvmNoInst
      PARAMETER (PvmDupGroup = -18, PvmNoGroup = -19)
      PARAMETER (PvmNotInGroup = -20, PvmNoInst = -21)
      INTEGER PvmHostFail, PvmNoParent, PvmNotImpl, PvmDSysErr
      PARAMETER (PvmHostFail = -22, PvmNoParent = -23)
      PARAMETER (PvmNotImpl = -24, PvmDSysErr = -25)
      INTEGER PvmBadVersion, PvmOutOfRes, PvmDupHost, PvmCantStart
      PARAMETER (PvmBadVersion = -26, PvmOutOfRes = -27)
      PARAMETER (PvmDupHost = -28, PvmCantStart = -29)
      INTEGER PvmAlready, PvmNoTask, PvmNotFound, PvmExists
      PARAMETER (PvmAlready = -30, PvmNoTask = -31, PvmNotFound = -32)
      PARAMETER (PvmExists = -33)
      INTEGER PvmHostrNMstr, PvmParentNotSet, PvmIPLoopback
      PARAMETER (PvmHostrNMstr = -34, PvmParentNotSet = -35)
      PARAMETER (PvmIPLoopback = -36)
! PvmDupEntry is -33 (PvmExists) in PVM's fpvm3.h, though -8 in C:
! kept so that Fortran code compares as it did with PVM.
      INTEGER PvmNoEntry, PvmDupEntry
      PARAMETER (PvmNoEntry = -32, PvmDupEntry = -33)

! The reduction functions PvmMax, PvmMin, PvmSum and PvmProduct are
! not declared here, as in PVM 3.4: a program unit that passes one to
! pvmfreduce says  EXTERNAL PvmSum  itself (declaring it twice is an
! error in Fortran).
