package fi.callgate.store;

/**
 * Real campaign data keys for tests outside the store (the sealed files in {@code fi.callgate.files} are
 * tested with the key they run with, so a change to its sealed format breaks their tests, not production).
 */
public final class TestDataKeys {
    private TestDataKeys() {
    }

    /** A fresh random key, as the key store makes for a new campaign. */
    public static DataKey random() {
        return DataKey.random();
    }
}
