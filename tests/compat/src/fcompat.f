C     fcompat - the Fortran interface: enrolment, packing of every Fortran type to
C     ourselves, bufinfo, config, options and bad arguments. One line per call.
      program fcompat
      implicit none
      include 'fpvm3.h'
      integer me, info, bufid, bytes, tag, src, i, nhost, narch
      integer ivals(4), ivals2(4), dtid, speed
      real*4 rvals(2), rvals2(2)
      real*8 dvals(2), dvals2(2)
      character*16 str, hname, arch
      integer*2 svals(3), svals2(3)
      data ivals /1, -2, 3, -4/
      data rvals /1.5, -2.5/
      data dvals /3.25d0, -4.75d0/
      data svals /7, -8, 9/

      call pvmfsetopt(PVMAUTOERR, 0, info)
      call pvmfmytid(me)
      print '(a,l1)', 'pvmfmytid > 0 = ', me .gt. 0
      call pvmfparent(info)
      print '(a,i0)', 'pvmfparent = ', info
      call pvmfinitsend(PVMDEFAULT, bufid)
      print '(a,l1)', 'pvmfinitsend > 0 = ', bufid .gt. 0
      call pvmfpack(INTEGER4, ivals, 4, 1, info)
      print '(a,i0)', 'pvmfpack INTEGER4 = ', info
      call pvmfpack(REAL4, rvals, 2, 1, info)
      print '(a,i0)', 'pvmfpack REAL4 = ', info
      call pvmfpack(REAL8, dvals, 2, 1, info)
      print '(a,i0)', 'pvmfpack REAL8 = ', info
      call pvmfpack(INTEGER2, svals, 3, 1, info)
      print '(a,i0)', 'pvmfpack INTEGER2 = ', info
      call pvmfpack(STRING, 'fortran', 7, 1, info)
      print '(a,i0)', 'pvmfpack STRING = ', info
      call pvmfpack(99, ivals, 1, 1, info)
      print '(a,i0)', 'pvmfpack bad type = ', info
      call pvmfsend(me, 5, info)
      print '(a,i0)', 'pvmfsend me = ', info
      call pvmfsend(-1, 5, info)
      print '(a,i0)', 'pvmfsend -1 = ', info
      call pvmfrecv(-1, 5, bufid)
      call pvmfbufinfo(bufid, bytes, tag, src, info)
      print '(a,i0,a,i0,a,i0,a,l1)', 'pvmfbufinfo = ', info,
     &    ' xdrbytes=', bytes, ' tag=', tag, ' src==me ', src .eq. me
      call pvmfunpack(INTEGER4, ivals2, 4, 1, info)
      call pvmfunpack(REAL4, rvals2, 2, 1, info)
      call pvmfunpack(REAL8, dvals2, 2, 1, info)
      call pvmfunpack(INTEGER2, svals2, 3, 1, info)
      str = ' '
      call pvmfunpack(STRING, str, 7, 1, info)
      print '(a,4(1x,i0),2(1x,f6.2),2(1x,f6.2),3(1x,i0),1x,a)',
     &    'unpacked', (ivals2(i), i = 1, 4), rvals2, dvals2, svals2, str
      call pvmfunpack(INTEGER4, ivals2, 1, 1, info)
      print '(a,i0)', 'pvmfunpack past end = ', info
      call pvmfnrecv(-1, 5, bufid)
      print '(a,i0)', 'pvmfnrecv empty = ', bufid
      call pvmfconfig(nhost, narch, dtid, hname, arch, speed, info)
      print '(a,i0,a,i0,a,i0,a,a)', 'pvmfconfig = ', info, ' nhost=',
     &    nhost, ' narch=', narch, ' arch=', arch
      call pvmfgetopt(PVMROUTE, info)
      print '(a,i0)', 'pvmfgetopt PVMROUTE = ', info
      call pvmfgsize('nogroup', info)
      print '(a,i0)', 'pvmfgsize nogroup = ', info
      call pvmfpstat(me, info)
      print '(a,i0)', 'pvmfpstat me = ', info
      call pvmfexit(info)
      print '(a,i0)', 'pvmfexit = ', info
      end
