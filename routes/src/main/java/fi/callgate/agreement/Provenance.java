package fi.callgate.agreement;

/**
 * How a list reached Callgate when a supplier delivered it on the controller's behalf: the supplier's
 * account, its organisation and the agreement reference, as they were when the list was processed.
 */
public record Provenance(String supplier, String supplierOrg, String agreement) {
    /** One line for reports and answers: "supplier ORG (account) under agreement REF". */
    public String describe() {
        return supplierOrg + " (" + supplier + "), agreement " + agreement;
    }
}
