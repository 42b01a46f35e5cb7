package fi.callgate.store;

/** The store could not do what was asked; the cause carries the SQL detail. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
