! fvm.f - one Fortran task on its own: enrolment, the machine
! (pvmfconfig one host per call, pvmftasks, pvmfmstat, pvmftidtoh,
! pvmfhostsync, pvmfarchcode), options, buffers, messages to itself
! in every encoding, errors and pvmfperror (the driver reads its
! stderr), the mailbox, contexts, message info, messages inside
! messages, pvmfstartpvmd, and a group of one.
      PROGRAM FVM
      INCLUDE 'fpvm3.h'
      EXTERNAL PvmMax, IHANDLE
      INTEGER MHID, NHANDLED
      COMMON /HANDLED/ NHANDLED
      CHARACTER*64 NAME, ARCH, AOUT, MSG
      INTEGER ME, PARENT, MYHOST, INFO, OLD, VAL, NHOST, NARCH, DTID
      INTEGER SPEED, N, X, B1, B2, BUFID, BYTES, TAG, SRC, NBAD, E
      INTEGER CS, CU, DS, DU, NTASK, TID, PTID, FLAG, ENCS(3), K
      INTEGER NCLASS, NENT, IDX, OWNER, FLAGS, RB, ME2, GOT(20)
      INTEGER IDATA(3), IRES(3), CTX, NEWB, INUM
      INTEGER MLEN, MCTX, MTAG, MWID, MENC, MCRC, MSRC, MDST
      DATA ENCS /PVMDEFAULT, PVMRAW, PVMINPLACE/
      DATA IDATA /1, 2, 3/

! Enrolment
      CALL PVMFMYTID(ME)
      CALL CHECK(ME .GT. 0, 'pvmfmytid enrolls')
      CALL PVMFMYTID(X)
      CALL CHECK(X .EQ. ME, 'pvmfmytid again gives the same tid')
      CALL PVMFPARENT(PARENT)
      CALL CHECK(PARENT .EQ. PvmNoParent, 'pvmfparent: no parent')
      CALL PVMFTIDTOH(ME, MYHOST)
      CALL CHECK(MYHOST .EQ. 262144, 'pvmftidtoh gives t40000')
      CALL PVMFTIDTOHOST(ME, X)
      CALL CHECK(X .EQ. 262144, 'pvmftidtohost, PVM''s own name')
      CALL PVMFSLEEP(0)
      CALL PVMFPSTAT(ME, INFO)
      CALL CHECK(INFO .EQ. PvmOk, 'pvmfpstat of itself')
      CALL PVMFSIBLINGS(N, -1, X)
      CALL CHECK(N .EQ. 1, 'pvmfsiblings count')
      X = 0
      CALL PVMFSIBLINGS(N, 0, X)
      CALL CHECK(X .EQ. ME, 'pvmfsiblings(0) is itself')
      CALL PVMFSIBLINGS(N, 5, X)
      CALL CHECK(N .EQ. PvmBadParam, 'pvmfsiblings out of range')

! Options: AutoErr off first, so that expected errors stay quiet.
      CALL PVMFSETOPT(PvmAutoErr, 0, OLD)
      CALL CHECK(OLD .EQ. 1, 'pvmfsetopt returns the old value')
      CALL PVMFGETOPT(PvmAutoErr, VAL)
      CALL CHECK(VAL .EQ. 0, 'pvmfgetopt')
      CALL PVMFSERROR(0, OLD)
      CALL CHECK(OLD .EQ. 0, 'pvmfserror')
      CALL PVMFSETOPT(PvmRoute, PvmRouteDirect, OLD)
      CALL CHECK(OLD .EQ. PvmAllowDirect, 'pvmfsetopt PvmRoute')
      CALL PVMFADVISE(PvmAllowDirect, INFO)
      CALL PVMFGETOPT(PvmRoute, VAL)
      CALL CHECK(INFO .EQ. 0 .AND. VAL .EQ. PvmAllowDirect,
     &           'pvmfadvise')
      CALL PVMFSETOPT(999, 1, OLD)
      CALL CHECK(OLD .EQ. PvmBadParam, 'pvmfsetopt of no option')

! The machine, one host per pvmfconfig call; a cycle of one host
! starts again at the next call.
      NHOST = -1
      CALL PVMFCONFIG(NHOST, NARCH, DTID, NAME, ARCH, SPEED, INFO)
      CALL CHECK(INFO .EQ. 1 .AND. NHOST .EQ. 1 .AND. NARCH .EQ. 1,
     &           'pvmfconfig counts')
      CALL CHECK(DTID .EQ. MYHOST .AND. NAME .NE. ' ' .AND.
     &           ARCH .EQ. 'LINUX64' .AND. SPEED .GT. 0,
     &           'pvmfconfig host entry')
      DTID = 0
      CALL PVMFCONFIG(NHOST, NARCH, DTID, NAME, ARCH, SPEED, INFO)
      CALL CHECK(INFO .EQ. 1 .AND. DTID .EQ. MYHOST,
     &           'pvmfconfig cycles')
      CALL PVMFMSTAT(NAME, INFO)
      CALL CHECK(INFO .EQ. PvmOk, 'pvmfmstat of the host')
      CALL PVMFMSTAT('no-such-host.invalid', INFO)
      CALL CHECK(INFO .EQ. PvmNoHost, 'pvmfmstat of no host')
      CALL PVMFDELHOST('no-such-host.invalid', INFO)
      CALL CHECK(INFO .EQ. PvmNoHost, 'pvmfdelhost of no host')
      CALL PVMFADDHOST(NAME, INFO)
      CALL CHECK(INFO .EQ. PvmDupHost, 'pvmfaddhost of its own host')
      CALL PVMFHOSTSYNC(MYHOST, CS, CU, DS, DU, INFO)
      CALL CHECK(INFO .EQ. 0 .AND. CS .GT. 0 .AND. CU .GE. 0,
     &           'pvmfhostsync')
      CALL PVMFARCHCODE('LINUX64', X)
      CALL CHECK(X .EQ. 4230209, 'pvmfarchcode')
      CALL PVMFARCHCODE('NOSUCHARCH', X)
      CALL CHECK(X .EQ. PvmNotFound, 'pvmfarchcode of no arch')
      NTASK = -1
      CALL PVMFTASKS(ME, NTASK, TID, PTID, DTID, FLAG, AOUT, INFO)
      CALL CHECK(INFO .EQ. 1 .AND. NTASK .EQ. 1 .AND. TID .EQ. ME .AND.
     &           PTID .EQ. 0 .AND. DTID .EQ. MYHOST, 'pvmftasks(me)')

! Buffers
      CALL PVMFMKBUF(PVMRAW, B1)
      CALL CHECK(B1 .GT. 0, 'pvmfmkbuf')
      CALL PVMFSETSBUF(B1, OLD)
      CALL PVMFGETSBUF(X)
      CALL CHECK(X .EQ. B1, 'pvmfsetsbuf and pvmfgetsbuf')
      CALL PVMFPACK(INTEGER4, 7, 1, 1, INFO)
      CALL PVMFBUFINFO(B1, BYTES, TAG, SRC, INFO)
      CALL CHECK(INFO .EQ. 0 .AND. BYTES .EQ. 4, 'pvmfbufinfo bytes')
      CALL PVMFSETRBUF(B1, OLD)
      CALL PVMFGETRBUF(X)
      CALL CHECK(X .EQ. B1, 'pvmfsetrbuf and pvmfgetrbuf')
      CALL PVMFFREEBUF(B1, INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmffreebuf')
      CALL PVMFFREEBUF(B1, INFO)
      CALL CHECK(INFO .EQ. PvmNoSuchBuf, 'pvmffreebuf twice')
      CALL PVMFINITSEND(99, BUFID)
      CALL CHECK(BUFID .EQ. PvmBadParam, 'pvmfinitsend(99)')
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFPACK(42, X, 1, 1, INFO)
      CALL CHECK(INFO .EQ. PvmBadParam, 'pvmfpack of no type')

! Messages to itself, in every encoding.
      DO 10 E = 1, 3
          CALL PVMFINITSEND(ENCS(E), BUFID)
          CALL PACKALL(INFO)
          CALL PVMFSEND(ME, 10 + E, INFO)
          CALL PVMFRECV(ME, 10 + E, BUFID)
          CALL CHKALL(NBAD)
          CALL CHECK(BUFID .GT. 0 .AND. NBAD .EQ. 0,
     &               'every type through a message to itself')
   10 CONTINUE

! Errors: a negative tag, then pvmfperror with a blank-padded text.
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFSEND(ME, -5, INFO)
      CALL CHECK(INFO .EQ. PvmBadParam, 'pvmfsend with a bad tag')
      MSG = 'fvm perror check'
      CALL PVMFPERROR(MSG, INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfperror')

! The mailbox: an entry goes in, comes back, is listed and deleted.
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFPACK(INTEGER4, 42, 1, 1, INFO)
      CALL PVMFGETSBUF(BUFID)
      CALL PVMFPUTINFO('fortran mbox', BUFID, PvmMboxDefault, IDX)
      CALL CHECK(IDX .GE. 0, 'pvmfputinfo')
      CALL PVMFRECVINFO('fortran mbox', IDX, PvmMboxDefault, RB)
      X = 0
      CALL PVMFSETRBUF(RB, OLD)
      CALL PVMFUNPACK(INTEGER4, X, 1, 1, INFO)
      CALL CHECK(RB .GT. 0 .AND. X .EQ. 42, 'pvmfrecvinfo')
      INFO = -1
      N = 0
      DO 20 K = 1, 20
          CALL PVMFGETMBOXINFO('fortran mbox', NAME, NCLASS, NENT, X,
     &                         OWNER, FLAGS, INFO)
          IF (INFO .NE. 0) GOTO 21
          N = N + 1
          GOT(N) = X
   20 CONTINUE
   21 CALL CHECK(N .EQ. 1 .AND. INFO .EQ. PvmNotFound,
     &           'pvmfgetmboxinfo gives one entry, then PvmNotFound')
      CALL CHECK(NAME .EQ. 'fortran mbox' .AND. NCLASS .EQ. 1 .AND.
     &           NENT .EQ. 1 .AND. GOT(1) .EQ. IDX .AND.
     &           OWNER .EQ. ME, 'pvmfgetmboxinfo entry')
      CALL PVMFDELINFO('fortran mbox', IDX, 0, INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfdelinfo')
      CALL PVMFRECVINFO('fortran mbox', IDX, PvmMboxDefault, RB)
      CALL CHECK(RB .EQ. PvmNotFound, 'pvmfrecvinfo after delete')

! Contexts: a new one, made current, then back to the base context.
      CALL PVMFGETCONTEXT(X)
      CALL CHECK(X .EQ. PvmBaseContext, 'pvmfgetcontext')
      CALL PVMFNEWCONTEXT(CTX)
      CALL CHECK(CTX .GT. 0, 'pvmfnewcontext')
      CALL PVMFSETCONTEXT(CTX, OLD)
      CALL PVMFGETCONTEXT(X)
      CALL CHECK(OLD .EQ. PvmBaseContext .AND. X .EQ. CTX,
     &           'pvmfsetcontext')
      CALL PVMFSETCONTEXT(PvmBaseContext, OLD)
      CALL PVMFFREECONTEXT(CTX, INFO)
      CALL CHECK(OLD .EQ. CTX .AND. INFO .EQ. 0, 'pvmffreecontext')

! Message info of a message to itself, then changed.
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFPACK(INTEGER4, 5, 1, 1, INFO)
      CALL PVMFSEND(ME, 21, INFO)
      CALL PVMFRECV(ME, 21, RB)
      CALL PVMFGETMINFO(RB, MLEN, MCTX, MTAG, MWID, MENC, MCRC, MSRC,
     &                  MDST, INFO)
      CALL CHECK(INFO .EQ. 0 .AND. MLEN .GT. 0 .AND.
     &           MCTX .EQ. PvmBaseContext .AND. MTAG .EQ. 21 .AND.
     &           MSRC .EQ. ME .AND. MDST .EQ. ME, 'pvmfgetminfo')
      CALL PVMFSETMINFO(RB, MCTX, 22, 7, MSRC, MDST, INFO)
      CALL PVMFGETMINFO(RB, MLEN, MCTX, MTAG, MWID, MENC, MCRC, MSRC,
     &                  MDST, X)
      CALL CHECK(INFO .EQ. 0 .AND. MTAG .EQ. 22 .AND. MWID .EQ. 7,
     &           'pvmfsetminfo')

! A message inside a message: RB goes into another message, which
! comes back; pvmfupkmesg takes RB out again with its tag.
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFPKMESG(RB, INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfpkmesg')
      CALL PVMFSEND(ME, 23, INFO)
      CALL PVMFRECV(ME, 23, B2)
      CALL PVMFUPKMESG(B2, NEWB)
      CALL PVMFBUFINFO(NEWB, BYTES, TAG, SRC, INFO)
      CALL PVMFSETRBUF(NEWB, OLD)
      X = 0
      CALL PVMFUNPACK(INTEGER4, X, 1, 1, INFO)
      CALL CHECK(NEWB .GT. 0 .AND. TAG .EQ. 22 .AND. X .EQ. 5,
     &           'pvmfupkmesg')
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFPKMESGBODY(NEWB, INFO)
      CALL PVMFBUFINFO(BUFID, BYTES, TAG, SRC, X)
      CALL CHECK(INFO .EQ. 0 .AND. BYTES .EQ. 4, 'pvmfpkmesgbody')

! Another pvmd for this machine is refused: ours runs.
      CALL PVMFSTARTPVMD(' ', 1, INFO)
      CALL CHECK(INFO .EQ. PvmDupHost, 'pvmfstartpvmd while one runs')

! A group of one: fmessages tries groups of three.
      CALL PVMFJOINGROUP('fortran group', INUM)
      CALL CHECK(INUM .EQ. 0, 'pvmfjoingroup')
      CALL PVMFGSIZE('fortran group', N)
      CALL CHECK(N .EQ. 1, 'pvmfgsize')
      CALL PVMFGETINST('fortran group', ME, X)
      CALL CHECK(X .EQ. INUM, 'pvmfgetinst')
      CALL PVMFGETTID('fortran group', INUM, X)
      CALL CHECK(X .EQ. ME, 'pvmfgettid')
      CALL PVMFBARRIER('fortran group', 1, INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfbarrier')
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
! Alone in the group: nobody to send to, PvmNoInst as in PVM 3.4.6.
      CALL PVMFBCAST('fortran group', 33, INFO)
      CALL CHECK(INFO .EQ. PvmNoInst, 'pvmfbcast')
      CALL PVMFREDUCE(PvmMax, IDATA, 3, INTEGER4, 34, 'fortran group',
     &                0, INFO)
      CALL CHECK(INFO .EQ. 0 .AND. IDATA(3) .EQ. 3, 'pvmfreduce')
      CALL PVMFGATHER(IRES, IDATA(2), 1, INTEGER4, 35,
     &                'fortran group', 0, INFO)
      CALL CHECK(INFO .EQ. 0 .AND. IRES(1) .EQ. 2, 'pvmfgather')
      CALL PVMFSCATTER(IRES(2), IDATA(3), 1, INTEGER4, 36,
     &                 'fortran group', 0, INFO)
      CALL CHECK(INFO .EQ. 0 .AND. IRES(2) .EQ. 3, 'pvmfscatter')
      CALL PVMFFREEZEGROUP('fortran group', 1, INFO)
      CALL CHECK(INFO .EQ. 1, 'pvmffreezegroup')
      CALL PVMFLVGROUP('fortran group', INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmflvgroup')
      CALL PVMFGSIZE('fortran group', N)
      CALL CHECK(N .LE. 0, 'pvmfgsize after pvmflvgroup')
! The reduction functions can be called as subroutines too.
      IRES(1) = 10
      IRES(2) = 20
      IRES(3) = 30
      CALL PVMSUM(INTEGER4, IRES, IDATA, 3, INFO)
      CALL CHECK(INFO .EQ. 0 .AND. IRES(1) .EQ. 11 .AND.
     &           IRES(3) .EQ. 33, 'PvmSum')
      CALL PVMPRODUCT(INTEGER4, IRES, IDATA, 3, INFO)
      CALL PVMMIN(INTEGER4, IRES, IDATA, 3, INFO)
      CALL PVMMAX(INTEGER4, IRES, IDATA, 3, INFO)
      CALL CHECK(INFO .EQ. 0 .AND. IRES(2) .EQ. 2,
     &           'PvmProduct, PvmMin, PvmMax')

! A message handler (pvmfaddmhf, which PVM's libfpvm3 has): it takes
! its message instead of the queue when the task next receives.
      NHANDLED = 0
      CALL PVMFADDMHF(ME, 55, -1, IHANDLE, MHID)
      CALL CHECK(MHID .GE. 0, 'pvmfaddmhf')
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFSEND(ME, 55, INFO)
      CALL PVMFINITSEND(PVMDEFAULT, BUFID)
      CALL PVMFSEND(ME, 56, INFO)
      CALL PVMFRECV(ME, 56, BUFID)
      CALL CHECK(BUFID .GT. 0 .AND. NHANDLED .EQ. 1,
     &           'the handler ran for its message')
      CALL PVMFDELMHF(MHID, INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfdelmhf')

! Output collection off, then leave; a later call enrolls again.
      CALL PVMFCATCHOUT(0, INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfcatchout(0)')
      CALL PVMFEXIT(INFO)
      CALL CHECK(INFO .EQ. 0, 'pvmfexit')
      CALL PVMFMYTID(ME2)
      CALL CHECK(ME2 .GT. 0 .AND. ME2 .NE. ME,
     &           'pvmfmytid after pvmfexit enrolls again')
      CALL PVMFEXIT(INFO)
      CALL FINISH('fvm')
      END

! The handler of pvmfaddmhf: called as C calls it, with the buffer id
! by value.
      INTEGER FUNCTION IHANDLE(MID)
      INTEGER, VALUE :: MID
      INTEGER NHANDLED
      COMMON /HANDLED/ NHANDLED
      IF (MID .GT. 0) NHANDLED = NHANDLED + 1
      IHANDLE = 0
      END
