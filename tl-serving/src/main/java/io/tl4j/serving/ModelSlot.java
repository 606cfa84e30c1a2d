package io.tl4j.serving;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Holds the current version of one served name and swaps it atomically on reload or rollback.
 *
 * <p>Forward passes run while holding this slot's lock (see {@link Batcher}); a swap takes the same lock, so the old
 * model is closed, and its native memory released, only after the batch that was using it has finished. Loading the
 * next version happens outside that lock, so requests keep being answered by the old version meanwhile.
 */
final class ModelSlot {

    private final String name;
    private final Object reloadLock = new Object();
    private final Deque<Path> earlierDirectories = new ArrayDeque<>();
    private final int driftWindow;
    private LoadedModel current;

    ModelSlot(String name, LoadedModel first, int driftWindow) {
        this.name = name;
        this.current = first;
        this.driftWindow = driftWindow;
    }

    String name() {
        return name;
    }

    /** Returns the model now served; call while holding the lock to use it for a forward pass. */
    synchronized LoadedModel current() {
        return current;
    }

    /** Loads {@code directory} as the next version and swaps it in; the model being replaced is closed. */
    void reload(Path directory) {
        synchronized (reloadLock) {
            swap(LoadedModel.load(directory, current().version() + 1, driftWindow), true);
        }
    }

    /** Loads the directory served before the current one as a new version, or refuses with 409 when none was. */
    void rollback() {
        synchronized (reloadLock) {
            Path previous = earlierDirectories.peek();
            if (previous == null) {
                throw new ApiException(
                        409, "no_previous_version", "Model '" + name + "' has no earlier version", "name");
            }
            swap(LoadedModel.load(previous, current().version() + 1, driftWindow), false);
            earlierDirectories.pop();
        }
    }

    private void swap(LoadedModel next, boolean remember) {
        LoadedModel old;
        synchronized (this) {
            old = current;
            current = next;
            if (remember) {
                earlierDirectories.push(old.directory());
            }
            old.model().close();
        }
    }

    /** Closes the current model. */
    synchronized void close() {
        current.model().close();
    }
}
