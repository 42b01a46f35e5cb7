/**
 * Value types and pure rules of the data Callgate guards (locations, phone numbers, personal identity
 * codes, special categories, call records); plain Java with no framework so every rule is unit-testable.
 */
package fi.callgate.domain;
