package fi.callgate.gateway.sftp;

import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.sshd.common.util.io.IoUtils;

/**
 * Owner, group and link count as every client sees them: the same neutral values for every file and
 * folder. The real ones say which account the server runs as ({@code root root} on a careless install)
 * and, through a folder's link count, how many folders it holds on disk — areas a client may not see.
 * Nothing a client does depends on them: access is decided by the account's view, not by file owners.
 */
final class NeutralOwner {
    /** The conventional "unmapped" id (NFS's nobody); names say whose drop point it is. */
    static final int ID = 65534;
    static final String NAME = "callgate";

    private NeutralOwner() {
    }

    static NavigableMap<String, Object> apply(NavigableMap<String, ?> attrs) {
        NavigableMap<String, Object> a = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        a.putAll(attrs);
        a.put(IoUtils.USERID_VIEW_ATTR, ID);
        a.put(IoUtils.GROUPID_VIEW_ATTR, ID);
        a.put(IoUtils.OWNER_VIEW_ATTR, NAME);
        a.put(IoUtils.GROUP_VIEW_ATTR, NAME);
        a.put(IoUtils.NUMLINKS_VIEW_ATTR, 1);
        // the unix view's device and inode numbers are not sent in SFTP v3, but nothing needs them either
        a.remove("ino");
        a.remove("dev");
        a.remove("rdev");
        a.remove(IoUtils.FILEKEY_VIEW_ATTR);
        return a;
    }
}
