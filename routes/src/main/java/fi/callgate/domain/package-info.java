/**
 * Value types and pure rules of the data Callgate guards (locations, phone numbers, personal identity
 * codes, special categories, call records, refusal reasons); plain Java with no framework so every rule is
 * unit-testable. Imports only the JDK and libphonenumber (the numbering plans are domain knowledge); the
 * architecture test holds it to that.
 */
package fi.callgate.domain;
