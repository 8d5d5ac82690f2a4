using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Killswitch.Chaos.Agent;

/// <summary>One packet the kernel queued: its id (for the verdict), the hook it was caught at, and its first bytes.</summary>
internal readonly record struct QueuedPacket(uint Id, byte Hook, ReadOnlyMemory<byte> Headers)
{
    /// <summary>NF_INET_LOCAL_IN: a packet coming into the namespace (INPUT).</summary>
    public const byte LocalIn = 1;

    /// <summary>NF_INET_LOCAL_OUT: a packet the namespace sends (OUTPUT).</summary>
    public const byte LocalOut = 3;
}

/// <summary>
/// One NFQUEUE queue, spoken over a raw <c>AF_NETLINK</c>/<c>NETLINK_NETFILTER</c> socket in C# — libc's socket calls
/// only, no libnetfilter_queue. Why not the library: the agent also runs straight from a node (<c>nsenter ... dotnet
/// Killswitch.Chaos.Agent.dll</c>) where no Debian package can be assumed, and the protocol the agent needs is four
/// messages (bind, configure, packet, verdict: include/uapi/linux/netfilter/nfnetlink_queue.h).
/// <para>
/// The queue is configured to copy only the first <see cref="CopyRange"/> bytes of each packet (the IP and TCP headers:
/// enough to tell flows apart), to take GSO packets whole (one verdict per TCP send, not per segment), and to fail open:
/// when the queue or the socket's buffer is full the kernel accepts the packet instead of dropping it. When the socket
/// closes (the agent exits, even SIGKILLed) the kernel unbinds the queue, and rules with <c>--queue-bypass</c> then let
/// packets through.
/// </para>
/// </summary>
internal sealed partial class NfqueueSocket : IDisposable
{
    /// <summary>Bytes of each packet copied to the agent: a 60-byte IPv4 header with options and a TCP header's ports.</summary>
    public const int CopyRange = 128;

    /// <summary>This namespace's bound queues, one line each (the reading process's namespace: /proc/net is per namespace).</summary>
    private const string QueuesPath = "/proc/net/netfilter/nfnetlink_queue";

    private const int AfNetlink = 16;
    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;
    private const int NetlinkNetfilter = 12;
    private const int SolSocket = 1;
    private const int SoRcvbuf = 8;
    private const int SoRcvtimeo = 20;
    private const int SoRcvbufforce = 33;
    private const int SolNetlink = 270;
    private const int NetlinkNoEnobufs = 5;
    private const int Eintr = 4;
    private const int Eagain = 11;
    private const int Ebusy = 16;
    private const int Eperm = 1;

    private const ushort NlmFRequest = 0x1;
    private const ushort NlmFAck = 0x4;
    private const ushort NlmsgError = 2;
    private const ushort MsgPacket = (3 << 8) | 0; // NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET
    private const ushort MsgVerdict = (3 << 8) | 1;
    private const ushort MsgConfig = (3 << 8) | 2;

    private const ushort CfgCmd = 1;
    private const ushort CfgParams = 2;
    private const ushort CfgQueueMaxlen = 3;
    private const ushort CfgMask = 4;
    private const ushort CfgFlags = 5;
    private const byte CmdBind = 1;
    private const byte CopyPacket = 2;
    private const uint FlagFailOpen = 0x1;
    private const uint FlagGso = 0x4;
    private const ushort AttrPacketHeader = 1;
    private const ushort AttrVerdictHeader = 2;
    private const ushort AttrPayload = 10;

    private readonly int _fd;
    private readonly byte[] _verdict = new byte[32];
    private readonly Lock _send = new();
    private uint _sequence;
    private int _disposed;

    private NfqueueSocket(int fd, ushort queue)
    {
        _fd = fd;
        Queue = queue;
    }

    /// <summary>The queue number this socket is bound to (the rules' <c>--queue-num</c>).</summary>
    public ushort Queue { get; }

    /// <summary>Verdicts the kernel refused (a netlink error answer): packets it then dropped.</summary>
    public long VerdictErrors { get; private set; }

    /// <summary>
    /// Binds the first free queue from <paramref name="first"/> on (wrapping within 32768-65535): queue numbers are per
    /// network namespace, and a queue another agent holds answers EBUSY, so two agents in one namespace never share one.
    /// </summary>
    public static NfqueueSocket Open(ushort first, int maxLength, int attempts = 64)
    {
        var queue = first;
        for (var attempt = 0; ; attempt++)
        {
            var fd = Socket(AfNetlink, SockRaw | SockCloexec, NetlinkNetfilter);
            if (fd < 0)
            {
                throw new AgentException($"Could not open a netfilter netlink socket ({Errno(Marshal.GetLastPInvokeError())}): NFQUEUE needs Linux with nfnetlink.");
            }

            var socket = new NfqueueSocket(fd, queue);
            try
            {
                var error = socket.Configure(maxLength);
                if (error == 0)
                {
                    socket.CheckConfigured();
                    return socket;
                }

                // Another program's queue answers EPERM (it belongs to another netlink port), our own EBUSY.
                var taken = error == -Ebusy || (error == -Eperm && Listed(queue));
                if (!taken || attempt + 1 >= attempts)
                {
                    throw new AgentException(taken
                        ? $"NFQUEUE queues {first}..{queue} are all held by other programs in this network namespace."
                        : $"Binding NFQUEUE queue {queue} failed ({Errno(-error)}): the kernel needs nfnetlink_queue (modprobe nfnetlink_queue on the node) and the agent NET_ADMIN.");
                }
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            socket.Dispose();
            queue = queue == ushort.MaxValue ? (ushort)32768 : (ushort)(queue + 1);
        }
    }

    /// <summary>
    /// Waits up to the socket's receive timeout (100 ms) for queued packets and hands each to <paramref name="onPacket"/>.
    /// Returns false on a timeout (nothing arrived).
    /// </summary>
    public bool Receive(byte[] buffer, Action<QueuedPacket> onPacket)
    {
        var length = Recv(_fd, buffer, buffer.Length, 0);
        if (length < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is Eagain or Eintr)
            {
                return false;
            }

            throw new AgentException($"Reading the NFQUEUE socket failed ({Errno(errno)}).");
        }

        var end = (int)length;
        var start = 0;
        while (start + 16 <= end)
        {
            var size = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(start));
            if (size < 16 || start + size > end)
            {
                break;
            }

            var type = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(start + 4));
            if (type == MsgPacket && Parse(buffer.AsMemory(start, size)) is { } packet)
            {
                onPacket(packet);
            }
            else if (type == NlmsgError && size >= 20 && BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(start + 16)) != 0)
            {
                VerdictErrors++;
            }

            start += Align(size);
        }

        return true;
    }

    /// <summary>Reads a NFQNL_MSG_PACKET's packet id, hook and (copied) payload.</summary>
    private static QueuedPacket? Parse(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        uint? id = null;
        byte hook = 0;
        ReadOnlyMemory<byte> payload = default;
        var offset = 16 + 4; // nlmsghdr + nfgenmsg
        while (offset + 4 <= span.Length)
        {
            var attributeLength = BinaryPrimitives.ReadUInt16LittleEndian(span[offset..]);
            var attributeType = BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 2)..]) & 0x3fff;
            if (attributeLength < 4 || offset + attributeLength > span.Length)
            {
                break;
            }

            if (attributeType == AttrPacketHeader && attributeLength >= 4 + 7)
            {
                // struct nfqnl_msg_packet_hdr { be32 packet_id; be16 hw_protocol; u8 hook; } packed
                id = BinaryPrimitives.ReadUInt32BigEndian(span[(offset + 4)..]);
                hook = span[offset + 10];
            }
            else if (attributeType == AttrPayload)
            {
                payload = message.Slice(offset + 4, attributeLength - 4);
            }

            offset += Align(attributeLength);
        }

        return id is { } packetId ? new QueuedPacket(packetId, hook, payload) : null;
    }

    /// <summary>Releases (NF_ACCEPT) the packet <paramref name="id"/>. Thread-safe; never waits for the kernel.</summary>
    public void Accept(uint id)
    {
        lock (_send)
        {
            var message = _verdict.AsSpan();
            message.Clear();
            var length = Header(message, MsgVerdict, NlmFRequest, ++_sequence);
            length = Attribute(message, length, AttrVerdictHeader, 8);
            BinaryPrimitives.WriteUInt32BigEndian(message[(length - 8)..], 1); // NF_ACCEPT
            BinaryPrimitives.WriteUInt32BigEndian(message[(length - 4)..], id);
            Finish(message, length);
            if (SendTo(_fd, _verdict, length, 0, KernelAddress, KernelAddress.Length) < 0)
            {
                VerdictErrors++;
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // Closing the socket unbinds the queue; the kernel drops what is still queued (the caller accepts first).
            _ = Close(_fd);
        }
    }

    private int Configure(int maxLength)
    {
        // A large receive buffer (packet bursts while the scheduler thread sends verdicts) and no ENOBUFS errors: with
        // fail-open the kernel accepts what did not fit, so an overrun needs no recovery here.
        SetInt(SolSocket, SoRcvbufforce, 8 << 20);
        SetInt(SolSocket, SoRcvbuf, 8 << 20);
        SetInt(SolNetlink, NetlinkNoEnobufs, 1);
        var timeout = new byte[16]; // struct timeval { long tv_sec; long tv_usec; } on 64-bit Linux
        BinaryPrimitives.WriteInt64LittleEndian(timeout.AsSpan(8), 100_000);
        _ = SetSockOpt(_fd, SolSocket, SoRcvtimeo, timeout, timeout.Length);
        var address = new byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(address, AfNetlink);
        if (Bind(_fd, address, address.Length) < 0)
        {
            return -Marshal.GetLastPInvokeError();
        }

        var message = new byte[128];
        var length = Header(message, MsgConfig, NlmFRequest | NlmFAck, ++_sequence);
        length = Attribute(message, length, CfgCmd, 4);
        message[length - 4] = CmdBind; // struct nfqnl_msg_config_cmd { u8 command; u8 pad; be16 pf; }: pf unused since 3.8
        Finish(message, length);
        var error = Request(message, length);
        if (error != 0)
        {
            return error;
        }

        message.AsSpan().Clear();
        length = Header(message, MsgConfig, NlmFRequest | NlmFAck, ++_sequence);
        length = Attribute(message, length, CfgParams, 5); // struct nfqnl_msg_config_params { be32 copy_range; u8 copy_mode; } packed
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(length - 5), CopyRange);
        message[length - 1] = CopyPacket;
        length = Attribute(message, length, CfgQueueMaxlen, 4);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(length - 4), (uint)maxLength);
        length = Attribute(message, length, CfgMask, 4);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(length - 4), FlagFailOpen | FlagGso);
        length = Attribute(message, length, CfgFlags, 4);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(length - 4), FlagFailOpen | FlagGso);
        Finish(message, length);
        return Request(message, length);
    }

    /// <summary>Whether <paramref name="queue"/> is bound in this namespace (by anyone).</summary>
    private static bool Listed(ushort queue) =>
        File.Exists(QueuesPath) && File.ReadLines(QueuesPath).Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var number, ..] && number == queue.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Reads the queue back from <c>/proc/net/netfilter/nfnetlink_queue</c> (this namespace's): a queue left in copy mode
    /// NONE makes the kernel drop every packet sent to it, so a configuration that did not take must stop the agent.
    /// </summary>
    private void CheckConfigured()
    {
        if (!File.Exists(QueuesPath))
        {
            return;
        }

        // "queue portid waiting copy_mode copy_range dropped user_dropped id_sequence 1"
        foreach (var line in File.ReadLines(QueuesPath))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0] == Queue.ToString(System.Globalization.CultureInfo.InvariantCulture)
                && (fields[3] != CopyPacket.ToString(System.Globalization.CultureInfo.InvariantCulture) || fields[4] != CopyRange.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                throw new AgentException($"NFQUEUE queue {Queue} did not take its configuration ({QueuesPath}: '{line.Trim()}'): not using it.");
            }
        }
    }

    /// <summary>Sends a config message and waits for its acknowledgement: 0 or a negative errno.</summary>
    private int Request(byte[] message, int length)
    {
        if (SendTo(_fd, message, length, 0, KernelAddress, KernelAddress.Length) < 0)
        {
            return -Marshal.GetLastPInvokeError();
        }

        var answer = new byte[8192];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var received = Recv(_fd, answer, answer.Length, 0);
            if (received < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is Eagain or Eintr)
                {
                    continue;
                }

                return -errno;
            }

            if (received >= 20 && BinaryPrimitives.ReadUInt16LittleEndian(answer.AsSpan(4)) == NlmsgError)
            {
                return BinaryPrimitives.ReadInt32LittleEndian(answer.AsSpan(16));
            }
        }

        return -Eagain;
    }

    private int Header(Span<byte> message, ushort type, ushort flags, uint sequence)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(message[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(message[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message[8..], sequence);
        message[16] = 0; // nfgenmsg.nfgen_family AF_UNSPEC
        message[17] = 0; // NFNETLINK_V0
        BinaryPrimitives.WriteUInt16BigEndian(message[18..], Queue);
        return 20;
    }

    /// <summary>Appends an attribute header for a <paramref name="size"/>-byte value; returns the end of the value.</summary>
    private static int Attribute(Span<byte> message, int offset, ushort type, int size)
    {
        offset = Align(offset);
        BinaryPrimitives.WriteUInt16LittleEndian(message[offset..], (ushort)(4 + size));
        BinaryPrimitives.WriteUInt16LittleEndian(message[(offset + 2)..], type);
        return offset + 4 + size;
    }

    private static void Finish(Span<byte> message, int length) => BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)length);

    private static int Align(int value) => (value + 3) & ~3;

    private void SetInt(int level, int name, int value)
    {
        var bytes = BitConverter.GetBytes(value);
        _ = SetSockOpt(_fd, level, name, bytes, bytes.Length);
    }

    private static string Errno(int errno) => $"errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)}";

    /// <summary>struct sockaddr_nl of the kernel (family AF_NETLINK, pid 0).</summary>
    private static readonly byte[] KernelAddress = [AfNetlink, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int Bind(int fd, byte[] address, int length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSockOpt(int fd, int level, int name, byte[] value, int length);

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    private static partial nint SendTo(int fd, byte[] buffer, nint length, int flags, byte[] address, int addressLength);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Recv(int fd, byte[] buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
