! flinks.f - calls every pvmf* routine, so that linking it proves
! libfpvm3 has them all. The calls run only with 100 arguments or
! more, that is never: some of them would change the machine.
      PROGRAM FLINKS
      INCLUDE 'fpvm3.h'
      CHARACTER*64 S
      INTEGER I, A(8)
      DOUBLE PRECISION D(4)
!     As PVM users write it: fpvm3.h does not declare these.
      EXTERNAL PvmMax, PvmMin, PvmSum, PvmProduct, IHANDLER
      IF (IARGC() .LT. 100) THEN
          PRINT '(A)', 'flinks: linked'
          STOP
      END IF
      I = 0
      CALL PVMFADDHOST(S, I)
      CALL PVMFADVISE(I, I)
      CALL PVMFARCHCODE(S, I)
      CALL PVMFBARRIER(S, I, I)
      CALL PVMFBCAST(S, I, I)
      CALL PVMFBUFINFO(I, I, I, I, I)
      CALL PVMFCATCHOUT(I, I)
      CALL PVMFCONFIG(I, I, I, S, S, I, I)
      CALL PVMFDELHOST(S, I)
      CALL PVMFDELINFO(S, I, I, I)
      CALL PVMFEXIT(I)
      CALL PVMFFREEBUF(I, I)
      CALL PVMFFREECONTEXT(I, I)
      CALL PVMFFREEZEGROUP(S, I, I)
      CALL PVMFGATHER(A, A, I, I, I, S, I, I)
      CALL PVMFGETCONTEXT(I)
      CALL PVMFGETINST(S, I, I)
      CALL PVMFGETMBOXINFO(S, S, I, I, I, I, I, I)
      CALL PVMFGETMINFO(I, I, I, I, I, I, I, I, I, I)
      CALL PVMFGETOPT(I, I)
      CALL PVMFGETRBUF(I)
      CALL PVMFGETSBUF(I)
      CALL PVMFGETTID(S, I, I)
      CALL PVMFGSIZE(S, I)
      CALL PVMFHALT(I)
      CALL PVMFHOSTSYNC(I, I, I, I, I, I)
      CALL PVMFINITSEND(I, I)
      CALL PVMFJOINGROUP(S, I)
      CALL PVMFKILL(I, I)
      CALL PVMFLVGROUP(S, I)
      CALL PVMFMCAST(I, A, I, I)
      CALL PVMFMKBUF(I, I)
      CALL PVMFMSTAT(S, I)
      CALL PVMFMYTID(I)
      CALL PVMFNEWCONTEXT(I)
      CALL PVMFNOTIFY(I, I, I, A, I)
      CALL PVMFNRECV(I, I, I)
      CALL PVMFPACK(I, D, I, I, I)
      CALL PVMFPARENT(I)
      CALL PVMFPERROR(S, I)
      CALL PVMFPKMESG(I, I)
      CALL PVMFPKMESGBODY(I, I)
      CALL PVMFPRECV(I, I, D, I, I, I, I, I, I)
      CALL PVMFPROBE(I, I, I)
      CALL PVMFPSEND(I, I, D, I, I, I)
      CALL PVMFPSTAT(I, I)
      CALL PVMFPUTINFO(S, I, I, I)
      CALL PVMFRECV(I, I, I)
      CALL PVMFRECVINFO(S, I, I, I)
      CALL PVMFREDUCE(PvmMax, A, I, I, I, S, I, I)
      CALL PVMFREDUCE(PvmMin, A, I, I, I, S, I, I)
      CALL PVMFREDUCE(PvmSum, A, I, I, I, S, I, I)
      CALL PVMFREDUCE(PvmProduct, A, I, I, I, S, I, I)
      CALL PVMFSCATTER(A, A, I, I, I, S, I, I)
      CALL PVMFSEND(I, I, I)
      CALL PVMFSENDSIG(I, I, I)
      CALL PVMFSERROR(I, I)
      CALL PVMFSETCONTEXT(I, I)
      CALL PVMFSETMINFO(I, I, I, I, I, I, I)
      CALL PVMFSETOPT(I, I, I)
      CALL PVMFSETRBUF(I, I)
      CALL PVMFSETSBUF(I, I)
      CALL PVMFSIBLINGS(I, I, I)
      CALL PVMFSPAWN(S, I, S, I, A, I)
      CALL PVMFSTARTPVMD(S, I, I)
      CALL PVMFSTART_PVMD(S, I, I)
      CALL PVMFTASKS(I, I, I, I, I, I, S, I)
      CALL PVMFTIDTOH(I, I)
      CALL PVMFTIDTOHOST(I, I)
      CALL PVMFSLEEP(I)
      CALL PVMFADDMHF(I, I, I, IHANDLER, I)
      CALL PVMFDELMHF(I, I)
      CALL PVMFTRECV(I, I, I, I, I)
      CALL PVMFUNPACK(I, D, I, I, I)
      CALL PVMFUPKMESG(I, I)
      END

! A message handler for pvmfaddmhf: gets the message's buffer id, by
! value as C passes it.
      INTEGER FUNCTION IHANDLER(MID)
      INTEGER, VALUE :: MID
      IHANDLER = MID
      END
