package fi.callgate.pipeline.stage;

import fi.callgate.csv.FileRejection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Collects the report while rows stream past; lists are bounded so a hostile file cannot grow them. */
final class ReportBuilder {

    private final int maxListed;
    private long accepted;
    private long rejected;
    private long blank;
    private final List<RowRejection> rejections = new ArrayList<>();
    private final List<RowWarning> warnings = new ArrayList<>();
    private long warningCount;
    private final List<String> droppedColumns = new ArrayList<>();
    private String encoding;
    private Character delimiter;

    ReportBuilder(int maxListed) {
        this.maxListed = maxListed;
    }

    void accepted() {
        accepted++;
    }

    void blank() {
        blank++;
    }

    void rejected(long row, String reason) {
        rejected++;
        if (rejections.size() < maxListed) {
            rejections.add(new RowRejection(row, reason));
        }
    }

    void warning(long row, String message) {
        warningCount++;
        if (warnings.size() < maxListed) {
            warnings.add(new RowWarning(row, message));
        }
    }

    void droppedColumn(String name) {
        droppedColumns.add(name);
    }

    void encoding(String name) {
        encoding = name;
    }

    void delimiter(char c) {
        delimiter = c;
    }

    long blankRowsSoFar() {
        return blank;
    }

    long dataRows() {
        return accepted + rejected + blank;
    }

    ValidationReport build(FileRejection rejection) {
        return new ValidationReport(accepted, rejected, blank, rejections, rejected - rejections.size(),
                warnings, warningCount - warnings.size(), droppedColumns, Optional.ofNullable(rejection),
                Optional.ofNullable(encoding), Optional.ofNullable(delimiter));
    }
}
