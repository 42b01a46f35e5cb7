/**
 * Files and sealing, the bottom of Callgate: publishing a file atomically, sealed spool files (streamed and
 * random-access), shredding a file. Every package may use it; it imports nothing of Callgate, only the JDK.
 */
package fi.callgate.files;
