# pvm.capnp - every control message between tasks and daemons.
#
# A link carries ZeroMQ multipart messages. The first frame after any routing
# id is one Packet. A Packet holding a user message (Envelope) is followed by
# the message body as its own frames, never copied into Cap'n Proto.
# Never renumber a field; add new ones at the end.

@0xc3a1d5f0b2e47a19;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("pvm::wire");

# Envelope is the header of one user message.
struct Envelope {
  src @0 :Int32;        # sending task tid
  dst @1 :Int32;        # destination tid
  tag @2 :Int32;        # message tag (negative tags are reserved for the system)
  context @3 :Int32;    # message context (pvm_setcontext)
  encoding @4 :Int32;   # PvmDataDefault, PvmDataRaw or PvmDataInPlace
  length @5 :UInt64;    # body bytes over all body frames
  wid @6 :Int32;        # wait id (pvm_getminfo)
  fanOut @7 :List(Int32);  # a multicast's further destinations: the daemons split it,
                           # one copy per host on the way, one per task at the end
}

# Packet is the first frame of everything sent on a link.
struct Packet {
  union {
    message @0 :Envelope;   # user message; body frames follow
    request @1 :Request;    # task -> daemon
    reply @2 :Reply;        # daemon -> task, answers one request
    peer @3 :PeerPacket;    # daemon -> daemon
  }
}

struct Request {
  id @0 :UInt32;            # echoed in the reply
  union {
    enroll @1 :Enroll;
    exit @2 :Void;          # pvm_exit
    spawn @3 :Spawn;
    config @4 :Void;        # pvm_config
    tasks @5 :Int32;        # pvm_tasks(where)
    kill @6 :Int32;         # pvm_kill(tid)
    notify @7 :Notify;
    halt @8 :Void;
    pstat @9 :Int32;        # pvm_pstat(tid)
    mstat @10 :Text;        # pvm_mstat(host)
    tidToHost @11 :Int32;   # pvm_tidtohost(tid)
    setOutput @12 :Redirect;  # PvmSelfOutputTid/Code: where this task's stdout goes
    addHosts @13 :List(Text);  # pvm_addhosts: host lines ("name opt=value ...")
    delHosts @14 :List(Text);  # pvm_delhosts: host names
    hostClock @15 :Int32;   # pvm_hostsync: the daemon tid whose clock to read
    signal @16 :Signal;     # pvm_sendsig
    mboxPut @17 :MboxPut;   # pvm_putinfo (to the master)
    mboxGet @18 :MboxKey;   # pvm_recvinfo
    mboxDel @19 :MboxKey;   # pvm_delinfo
    mboxList @20 :Text;     # pvm_getmboxinfo(pattern)
    taskGone @21 :Int32;    # a daemon tells the master that a task with state there has exited
    group @22 :GroupCall;   # the group server, in the master
    newContext @23 :Void;   # pvm_newcontext: a number unique in the machine
    tasksUsage @24 :Int32;  # pvm_tasks(where) with each task's CPU time and memory, read from
                            # /proc (Tcl's pvm::tasks); plain tasks leaves them 0
  }
}

# The mailbox lives in the master. An entry's body is a copy of a packed message buffer:
# entries are small adverts, so unlike user messages they travel inside the packet.
struct MboxPut {
  name @0 :Text;
  flags @1 :Int32;
  encoding @2 :Int32;
  body @3 :Data;
}

struct MboxKey {
  name @0 :Text;
  index @1 :Int32;
  flags @2 :Int32;
}

struct MboxEntry {
  index @0 :Int32;
  owner @1 :Int32;          # tid of the task that put it (kept after it exits, as PVM's source)
  flags @2 :Int32;
  encoding @3 :Int32;
  body @4 :Data;
}

struct MboxClass {
  name @0 :Text;
  indices @1 :List(Int32);
  owners @2 :List(Int32);
  flags @3 :List(Int32);
}

# GroupCall is one call to the group server.
struct GroupCall {
  op @0 :GroupOp;
  name @1 :Text;
  number @2 :Int32;         # tidOf: the instance; barrier: the count; freeze: the size
  tid @3 :Int32;            # instance: the task asked about
}

enum GroupOp {
  join @0;
  leave @1;
  size @2;
  instance @3;
  tidOf @4;
  members @5;               # answered with tids, in instance order
  barrier @6;
  freeze @7;
  list @8;                  # every group, answered with groupStates (for pvm_gstat)
}

# GroupState is one group as PVM's group server reports it (pvm_gstat).
struct GroupState {
  name @0 :Text;
  tids @1 :List(Int32);     # by instance number, from 0 to the highest; -1 where free
  barrierCount @2 :Int32;   # members a barrier in progress waits for, or -1
  barrierReached @3 :Int32; # members that have reached it
}

# Signal asks the daemon of tid's host to send it signal number.
struct Signal {
  tid @0 :Int32;
  number @1 :Int32;
}

# Enroll is the first request of a task on a new link.
struct Enroll {
  pid @0 :Int32;            # process id of the task
  spawnedTid @1 :Int32;     # tid given by the spawning daemon (PVM_SPAWN_TID), or 0
  name @2 :Text;            # executable name, for pvm_tasks of manually started tasks
  protocolVersion @3 :UInt32;  # kProtocolVersion of the library
}

struct Spawn {
  file @0 :Text;            # executable as given to pvm_spawn
  argv @1 :List(Text);      # arguments, without the executable
  flags @2 :Int32;          # PvmTask* flags
  where @3 :Text;           # host or arch name, may carry ":workdir"
  count @4 :Int32;          # number of copies
  env @5 :List(Text);       # NAME=value pairs exported by the parent (PVM_EXPORT)
  outputTid @6 :Int32;      # PvmOutputTid of the parent, inherited by children
  outputCode @7 :Int32;     # PvmOutputCode of the parent
  outputContext @8 :Int32;  # PvmOutputContext of the parent
  context @9 :Int32;        # the parent's current context: the children start in it, as in PVM
}

struct Notify {
  what @0 :Int32;           # PvmTaskExit, PvmHostDelete, PvmHostAdd, maybe | PvmNotifyCancel
  tag @1 :Int32;            # message tag of the notify messages
  count @2 :Int32;          # PvmHostAdd: how many times; else length of tids
  tids @3 :List(Int32);     # tasks or daemons watched
  context @4 :Int32;        # context of the notify messages
}

struct Redirect {
  tid @0 :Int32;            # destination of output, 0 for the daemon log
  code @1 :Int32;           # message tag of output messages
  context @2 :Int32;        # message context of output messages
}

struct Reply {
  id @0 :UInt32;            # id of the request answered
  error @1 :Int32;          # 0, or a negative PVM error code
  errorText @2 :Text;       # context for the error, may be empty
  slurmJob @14 :Text;       # config: the Slurm job whose nodes are the machine (the master's), or ""
  groupFrozen @15 :Bool;    # a group call: the group is static (pvm_freezegroup), so tasks may keep it
  union {
    none @3 :Void;
    enrolled @4 :Enrolled;
    tids @5 :List(Int32);   # spawn: tids or per-task error codes
    hosts @6 :List(HostInfo);
    tasks @7 :List(TaskInfo);
    value @8 :Int32;        # pstat, mstat, tidToHost
    results @9 :List(Int32);  # addHosts/delHosts: daemon tid or error code per host
    clock @10 :Int64;       # hostClock: microseconds since the epoch on that host
    mboxEntry @11 :MboxEntry;
    mboxClasses @12 :List(MboxClass);
    groupStates @13 :List(GroupState);
  }
}

struct Enrolled {
  tid @0 :Int32;
  parent @1 :Int32;         # parent tid, or PvmNoParent
  hostTid @2 :Int32;        # tid of the local daemon
  siblings @3 :List(Int32); # tasks spawned by the same pvm_spawn call
  outputTid @4 :Int32;      # inherited PvmOutputTid
  outputCode @5 :Int32;
  outputContext @6 :Int32;
  hostAddress @7 :Text;     # how other hosts reach this one (cross-host direct route)
  machineKeys @8 :Text;     # the machine's CurveZMQ keys, "public secret" (direct-route links)
  context @9 :Int32;        # the context the task starts in (its parent's at spawn time)
}

struct HostInfo {
  tid @0 :Int32;            # daemon tid
  name @1 :Text;
  arch @2 :Text;
  speed @3 :Int32;
  dataSignature @4 :Int32;
}

struct TaskInfo {
  tid @0 :Int32;
  parent @1 :Int32;
  hostTid @2 :Int32;
  flags @3 :Int32;
  name @4 :Text;
  pid @5 :Int32;
  cpuMs @6 :Int64;          # CPU time used (user + system), from its host's /proc
  rssKb @7 :Int64;          # resident memory
  sent @8 :Int64;           # messages it sent through its daemon
  received @9 :Int64;       # messages its daemon delivered to it
}

# PeerPacket is what daemons say to each other over their CurveZMQ links.
struct PeerPacket {
  fromHost @0 :Int32;         # host number of the sending daemon
  union {
    hello @1 :HostRecord;     # a new slave introduces itself to the master
    hostTable @2 :List(HostRecord);  # master -> every slave: the whole machine, after each change
    forward @3 :Forwarded;    # a task's request to be handled by this daemon
    forwardReply @4 :ForwardedReply;  # the answer, back to the daemon that forwarded it
    heartbeat @5 :Int32;      # "I am alive", every heartbeat interval, with the number of tasks here
    halt @6 :Int32;           # master -> slaves: stop every task but this tid (0: all) and exit
    hostDeleted @7 :Int32;    # master -> slaves: this daemon tid left the machine
    holdFor @8 :Int32;        # "this task of mine does not keep up: hold your messages for it"
    releaseFor @9 :Int32;     # "it has caught up: send what you held, and go on"
    acked @10 :UInt64;        # bytes of messages taken from you so far (opens your window)
  }
}

struct HostRecord {
  info @0 :HostInfo;          # tid, name, arch, speed
  endpoint @1 :Text;          # tcp://address:port of the daemon's peer socket
  publicKey @2 :Text;         # the daemon's own CurveZMQ public key (Z85)
}

struct Forwarded {
  token @0 :UInt32;           # chosen by the forwarding daemon, echoed in the reply
  taskTid @1 :Int32;          # the task that made the request
  request @2 :Request;        # as the task sent it
}

struct ForwardedReply {
  token @0 :UInt32;
  reply @1 :Reply;
}
