package dev.keycloakm2m.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Token counts of one client for the current UTC hour and day windows (window = epoch second it starts). */
@Entity
@Table(name = "M2M_TOKEN_COUNTER")
public class TokenCounterEntity {

    @Id
    @Column(name = "CLIENT_ID", length = 36)
    private String clientId;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "HOUR_WINDOW", nullable = false)
    private long hourWindow;

    @Column(name = "HOUR_USED", nullable = false)
    private int hourUsed;

    @Column(name = "DAY_WINDOW", nullable = false)
    private long dayWindow;

    @Column(name = "DAY_USED", nullable = false)
    private int dayUsed;

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public long getHourWindow() {
        return hourWindow;
    }

    public void setHourWindow(long hourWindow) {
        this.hourWindow = hourWindow;
    }

    public int getHourUsed() {
        return hourUsed;
    }

    public void setHourUsed(int hourUsed) {
        this.hourUsed = hourUsed;
    }

    public long getDayWindow() {
        return dayWindow;
    }

    public void setDayWindow(long dayWindow) {
        this.dayWindow = dayWindow;
    }

    public int getDayUsed() {
        return dayUsed;
    }

    public void setDayUsed(int dayUsed) {
        this.dayUsed = dayUsed;
    }
}
