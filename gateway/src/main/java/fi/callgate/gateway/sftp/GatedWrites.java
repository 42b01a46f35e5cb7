package fi.callgate.gateway.sftp;

import fi.callgate.store.WriteGate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;

/**
 * An upload's channel that takes no more bytes once the storage location is refused: a handle opened while
 * the location was allowed would otherwise keep writing under data-dir after a reload to a location outside
 * the EEA (CONTRACT §6). Everything else is the wrapped channel's.
 */
final class GatedWrites implements SeekableByteChannel {
    private final SeekableByteChannel channel;
    private final WriteGate gate;
    private final String path;

    GatedWrites(SeekableByteChannel channel, WriteGate gate, String path) {
        this.channel = channel;
        this.gate = gate;
        this.path = path;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Optional<String> refused = gate.checkWrite();
        if (refused.isPresent()) {
            throw new ClientMessages.Refusal(path, refused.get() + "; uploads are refused");
        }
        return channel.write(src);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public long position() throws IOException {
        return channel.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        channel.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
        channel.truncate(size);
        return this;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
